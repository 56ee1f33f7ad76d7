// The progress of a network's background import job (templates/importers/network_import_job.html).
// Reads the job's JSON every few seconds, updates the status text (an aria-live region) and the
// progress bar, and reloads the page once the job is finished, to show its preview or result.
(() => {
  const section = document.querySelector("[data-job-status-url]");
  if (!section || section.dataset.jobFinished === "true") {
    return;
  }
  const text = section.querySelector("[data-job-text]");
  const bar = section.querySelector("[data-job-progress]");
  const everyMs = 2000;
  let lastText = text ? text.textContent : "";

  const show = (state) => {
    if (bar && state.rows_total) {
      bar.max = state.rows_total;
      bar.value = state.rows_done;
      bar.textContent = String(state.rows_done);
    }
    // Only a new sentence is announced: screen readers are not interrupted for nothing.
    if (text && state.text !== lastText) {
      text.textContent = state.text;
      lastText = state.text;
    }
  };

  const poll = async () => {
    try {
      const response = await fetch(section.dataset.jobStatusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const state = await response.json();
        show(state);
        if (state.finished) {
          // Back at the job's section (focusable), where its preview or result begins.
          window.location.hash = "tache";
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A network hiccup: try again at the next tick.
    }
    window.setTimeout(poll, everyMs);
  };
  window.setTimeout(poll, everyMs);
})();
