// The main menu folds behind a "Menu" button on narrow screens (the disclosure pattern: a
// button with aria-expanded controlling the list). Without JavaScript the list stays shown.
const toggle = document.querySelector(".site-nav__toggle");
const list = document.getElementById("site-nav-list");

if (toggle && list) {
  const narrow = window.matchMedia("(max-width: 47.99rem)");
  const isOpen = () => toggle.getAttribute("aria-expanded") === "true";
  const apply = () => {
    toggle.hidden = !narrow.matches;
    list.hidden = narrow.matches && !isOpen();
  };
  toggle.addEventListener("click", () => {
    toggle.setAttribute("aria-expanded", String(!isOpen()));
    apply();
  });
  list.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && narrow.matches && isOpen()) {
      toggle.setAttribute("aria-expanded", "false");
      apply();
      toggle.focus();
    }
  });
  narrow.addEventListener("change", apply);
  apply();
}
