// /annuaire/: the point distances are measured from, by address (BAN) or by geolocation.
// Without JavaScript, or offline, the other sorts and every filter still work.
const form = document.querySelector(".directory-filters");
const address = document.getElementById("origin-address");
const status = document.getElementById("origin-status");
const text = document.getElementById("directory-text").dataset;
const banUrl = text.banUrl;
const { lat, lon, sort } = form.elements;

// On a phone the results come first: the filter panel folds behind its "Filtres" summary,
// which says how many filters apply. It stays open when a filter was not understood.
const panel = document.getElementById("filters-panel");
const phone = window.matchMedia("(max-width: 47.99rem)");
if (phone.matches && !panel.querySelector(".form-errors")) panel.open = false;
// A wider screen hides the summary: the panel must not stay folded there (a phone turned).
phone.addEventListener("change", () => {
  if (!phone.matches) panel.open = true;
});

function setOrigin(latitude, longitude) {
  lat.value = latitude.toFixed(6);
  lon.value = longitude.toFixed(6);
  sort.value = "distance";
}

document.getElementById("origin-locate").addEventListener("click", () => {
  if (!("geolocation" in navigator)) {
    status.textContent = text.noLocation;
    return;
  }
  status.textContent = text.locating;
  navigator.geolocation.getCurrentPosition(
    (position) => {
      setOrigin(position.coords.latitude, position.coords.longitude);
      address.value = "";
      form.requestSubmit();
    },
    () => {
      status.textContent = text.noLocation;
    },
  );
});

let geocoded = address.value;
form.addEventListener("submit", async (event) => {
  const query = address.value.trim();
  if (!query) {
    if (geocoded) {
      lat.value = "";
      lon.value = "";
    }
    return;
  }
  if (query === geocoded && lat.value) return;
  event.preventDefault();
  status.textContent = text.searching;
  try {
    const url = `${banUrl}/search/?${new URLSearchParams({ q: query, limit: "1" })}`;
    const response = await fetch(url);
    const feature = (await response.json()).features?.[0];
    if (!feature) throw new Error("no address");
    const [longitude, latitude] = feature.geometry.coordinates;
    setOrigin(latitude, longitude);
    address.value = feature.properties.label;
  } catch {
    status.textContent = text.offline;
    address.value = "";
  }
  geocoded = address.value;
  form.submit();
});
