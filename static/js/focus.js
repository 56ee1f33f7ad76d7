// An element marked data-focus-on-load takes the focus when the page opens: the error
// summary of a form sent back, read first by a screen reader (no inline script: CSP).
document.querySelector("[data-focus-on-load]")?.focus();
