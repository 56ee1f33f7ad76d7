// /parcours/ on a phone: each result is a compact card (its name, why it fits in one line,
// amount and dates) and "Voir plus" shows its reasons, conditions and sources. Cards fold only
// on narrow screens (cartess.css): a desktop, a printout or a browser without JavaScript show
// every result whole.
const text = document.getElementById("pathway-cards-text")?.dataset;

function addToggle(item, index) {
  const more = item.querySelector(".pathway-item__more");
  if (!more || !more.textContent.trim()) return;
  more.id = `pathway-more-${index + 1}`;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "pathway-item__toggle";
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", more.id);
  const label = document.createElement("span");
  label.textContent = text.more;
  const name = document.createElement("span");
  name.className = "visually-hidden";
  name.textContent = ` : ${item.querySelector(".pathway-item__name")?.textContent.trim() ?? ""}`;
  button.append(label, name);
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    item.classList.toggle("is-open", open);
    label.textContent = open ? text.less : text.more;
  });
  more.before(button);
  item.classList.add("pathway-item--card");
}

if (text) document.querySelectorAll(".pathway-item").forEach(addToggle);
