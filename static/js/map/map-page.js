// /carte/: the organisations of the API on a Leaflet map, with a synchronised, accessible list.
import { setupAddressSearch, setupLocate } from "./address.js";
import { filtersFromForm, format, selectedFromUrl, viewFromUrl, writeUrl } from "./state.js";

const readJson = (id) => JSON.parse(document.getElementById(id).textContent);
const config = readJson("map-config");
const text = readJson("map-text");
const kindNames = new Map(readJson("map-kinds"));

const form = document.getElementById("map-filters");
const list = document.getElementById("map-results");
const status = document.getElementById("map-status");
const directoryLink = document.getElementById("directory-link");
const wide = window.matchMedia("(min-width: 48rem)");

const view = viewFromUrl();
const map = L.map("map", {
  center: view ? view.center : config.center,
  zoom: view ? view.zoom : config.zoom,
  minZoom: config.minZoom,
  maxZoom: config.maxZoom,
  zoomControl: false,
});
L.control.zoom({ zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut }).addTo(map);
// Tiles come from the internet; offline the markers, outlines and list still work.
if (config.tiles.length > 0) {
  L.tileLayer(config.tiles[0].url, config.tiles[0].options).addTo(map);
}

// --- Reference areas, loaded the first time their overlay is shown ---------------------------
function areaOverlay(kinds, style) {
  const layer = L.geoJSON(null, { style, interactive: false });
  let loaded = false;
  layer.on("add", async () => {
    if (loaded) return;
    loaded = true;
    try {
      const response = await fetch(`${text.areasUrl}?kind=${kinds}`);
      if (response.ok) layer.addData(await response.json());
    } catch {
      loaded = false;
    }
  });
  return layer;
}
const overlays = {
  [text.communes]: areaOverlay("commune,commune-associee", {
    color: "#0b4f4a", weight: 2.5, fill: false,
  }),
  [text.quartiers]: areaOverlay("quartier", {
    color: "#4a4f55", weight: 1.5, dashArray: "4 4", fillOpacity: 0.02,
  }),
  [text.qpv]: areaOverlay("qpv", { color: "#a34100", weight: 2, fillOpacity: 0.15 }),
};
overlays[text.premises] = premisesOverlay();
overlays[text.communes].addTo(map);
const layers = L.control.layers(null, overlays, { collapsed: !wide.matches }).addTo(map);
const layersToggle = layers.getContainer().querySelector(".leaflet-control-layers-toggle");
layersToggle.title = text.layers;
layersToggle.setAttribute("aria-label", text.layers);

// --- Land and premises opportunities (public fields only), loaded when shown ---------------
function premisesPopup({ properties }) {
  const labels = readJson("premises-labels");
  const box = element("div", "popup");
  box.append(element("p", "popup__title", properties.name));
  const facts = [labels[properties.kind], labels[properties.status]];
  if (properties.surface_m2) facts.push(format(text.surface, { n: properties.surface_m2 }));
  box.append(element("p", "popup__kinds", facts.filter(Boolean).join(" · ")));
  const address = addressOf(properties);
  if (address) box.append(element("p", "popup__address", address));
  if (properties.third_place) {
    const offers = properties.third_place.offers.map((offer) => labels[offer] || offer);
    if (properties.third_place.totem) box.append(element("p", "popup__tag", text.totem));
    if (offers.length) box.append(element("p", "popup__kinds", offers.join(" · ")));
    const link = element("a", "popup__link", properties.third_place.name);
    link.href = detailUrl(properties.third_place.slug);
    box.append(link);
  }
  return box;
}

function premisesOverlay() {
  const layer = L.geoJSON(null, {
    pointToLayer: (feature, latlng) =>
      L.marker(latlng, {
        icon: L.divIcon({ className: "premises-marker", iconSize: [22, 22] }),
        title: feature.properties.name,
        keyboard: true,
      }),
    onEachFeature: (feature, marker) => marker.bindPopup(() => premisesPopup(feature)),
  });
  let loaded = false;
  layer.on("add", async () => {
    if (loaded) return;
    loaded = true;
    try {
      const response = await fetch(text.premisesUrl);
      if (response.ok) layer.addData(await response.json());
    } catch {
      loaded = false;
    }
  });
  return layer;
}

// --- Markers ------------------------------------------------------------------------------
const clusterIcon = (count) =>
  L.divIcon({
    className: "cluster-marker",
    // The number for the eye, a sentence for screen readers (the icon is focusable).
    html: `<span aria-hidden="true">${count}</span><span class="visually-hidden">${format(
      text.clusterLabel,
      { n: count },
    )}</span>`,
    iconSize: [40, 40],
  });
const clusters = L.markerClusterGroup({
  showCoverageOnHover: false,
  maxClusterRadius: 45,
  iconCreateFunction: (group) => clusterIcon(group.getChildCount()),
}).addTo(map);
const serverClusters = L.layerGroup().addTo(map);
const markers = new Map(); // organisation id -> Leaflet marker
let returnFocusTo = null; // the list item that opened the current popup
let markerOpener = null; // the marker whose popup was opened with the keyboard
let selected = selectedFromUrl(); // slug of the organisation whose popup is open
let pending = selected; // a permalink's popup, opened once its marker is loaded

const detailUrl = (slug) => text.detailUrl.replace("__slug__", encodeURIComponent(slug));
const kindLabel = (feature) =>
  feature.properties.kinds.map((slug) => kindNames.get(slug) || slug).join(", ");
const addressOf = ({ street, postcode, city }) =>
  [street, [postcode, city].filter(Boolean).join(" ")].filter(Boolean).join(", ");

function element(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content) node.textContent = content;
  return node;
}

// "Mis à jour par la structure / le réseau APES / l'équipe Cartess le 3 décembre 2026": who
// last corrected the listing by hand (the `edited` property; none for imported values only).
const dayFormat = new Intl.DateTimeFormat(document.documentElement.lang || "fr", {
  dateStyle: "long",
  timeZone: "UTC",
});
function editedText({ edited }) {
  if (!edited || !edited.on) return "";
  const date = dayFormat.format(new Date(`${edited.on}T00:00:00Z`));
  if (edited.by === "owner") return format(text.editedByOwner, { date });
  if (edited.by === "network") {
    // A network since removed from Cartess keeps its credit, without its name.
    if (!edited.network) return format(text.editedByAnyNetwork, { date });
    return format(text.editedByNetwork, { network: edited.network, date });
  }
  return format(text.editedByTeam, { date });
}

function popupContent(feature) {
  const box = element("div", "popup");
  box.append(element("p", "popup__title", feature.properties.name));
  box.append(element("p", "popup__kinds", kindLabel(feature)));
  const address = addressOf(feature.properties);
  if (address) box.append(element("p", "popup__address", address));
  const edited = editedText(feature.properties);
  if (edited) box.append(element("p", "popup__credit", edited));
  const link = element("a", "popup__link", text.seeDetail);
  link.href = detailUrl(feature.properties.slug);
  link.setAttribute("aria-label", text.seeDetailOf.replace("{name}", feature.properties.name));
  box.append(link);
  return box;
}

function makeMarker(feature) {
  const [lon, lat] = feature.geometry.coordinates;
  const kind = feature.properties.kinds[0] || "autre";
  const marker = L.marker([lat, lon], {
    icon: L.divIcon({
      className: `org-marker kind-${kind}`,
      iconSize: [30, 30],
      iconAnchor: [15, 15],
      popupAnchor: [0, -14],
    }),
    title: feature.properties.name,
    keyboard: true,
  });
  marker.featureId = feature.id;
  marker.slug = feature.properties.slug;
  marker.bindPopup(() => popupContent(feature), { autoPanPadding: [24, 24] });
  marker.on("add", () => marker.getElement()?.setAttribute("aria-label", feature.properties.name));
  return marker;
}

function showPoints(features) {
  serverClusters.clearLayers();
  const seen = new Set(features.map((feature) => feature.id));
  const gone = [...markers].filter(([id]) => !seen.has(id));
  clusters.removeLayers(gone.map(([, marker]) => marker));
  gone.forEach(([id]) => markers.delete(id));
  const fresh = features.filter((feature) => !markers.has(feature.id)).map(makeMarker);
  fresh.forEach((marker) => markers.set(marker.featureId, marker));
  clusters.addLayers(fresh);
  renderList(features);
}

function showServerClusters(features) {
  clusters.clearLayers();
  markers.clear();
  serverClusters.clearLayers();
  for (const feature of features) {
    const [lon, lat] = feature.geometry.coordinates;
    const count = feature.properties.count;
    L.marker([lat, lon], {
      icon: clusterIcon(count),
      title: format(text.clusterLabel, { n: count }),
      keyboard: true,
    })
      .on("click", () => map.setView([lat, lon], Math.min(map.getZoom() + 2, config.maxZoom)))
      .addTo(serverClusters);
  }
  renderList([]);
}

// --- The list: the accessible equivalent of the map -----------------------------------------
function listItem(feature) {
  const item = element("li", "map-result");
  const button = element("button", "map-result__button");
  button.type = "button";
  button.dataset.id = feature.id;
  button.append(element("span", "map-result__name", feature.properties.name));
  button.append(element("span", "map-result__meta", kindLabel(feature)));
  const address = addressOf(feature.properties);
  if (address) button.append(element("span", "map-result__meta", address));
  const edited = editedText(feature.properties);
  if (edited) button.append(element("span", "map-result__meta map-result__credit", edited));
  button.addEventListener("click", () => openFromList(feature.id));
  const link = element("a", "map-result__link", text.seeDetail);
  link.href = detailUrl(feature.properties.slug);
  link.setAttribute("aria-label", text.seeDetailOf.replace("{name}", feature.properties.name));
  const marker = element("span", `kind-swatch kind-${feature.properties.kinds[0] || "autre"}`);
  marker.setAttribute("aria-hidden", "true");
  item.append(marker, button, link);
  return item;
}

function renderList(features) {
  const focusedId = document.activeElement?.closest?.("#map-results [data-id]")?.dataset.id;
  list.replaceChildren(...features.map(listItem));
  if (focusedId) list.querySelector(`[data-id="${focusedId}"]`)?.focus();
  const open = [...markers.values()].find((marker) => marker.isPopupOpen());
  markSelected(open ? open.featureId : null);
}

function markSelected(id) {
  for (const button of list.querySelectorAll("[data-id]")) {
    const selected = String(id) === button.dataset.id;
    button.toggleAttribute("aria-current", selected);
    if (selected) button.setAttribute("aria-current", "true");
  }
}

function openFromList(id) {
  const marker = markers.get(id);
  if (!marker) return;
  returnFocusTo = id;
  clusters.zoomToShowLayer(marker, () => marker.openPopup());
}

map.on("popupopen", (event) => {
  event.popup.getElement()?.querySelector(".leaflet-popup-close-button")
    ?.setAttribute("aria-label", text.closePopup);
  const id = event.popup._source?.featureId;
  if (id === undefined) return;
  selected = event.popup._source.slug;
  writeUrl(filtersFromForm(form), map, selected);
  markSelected(id);
  const button = list.querySelector(`[data-id="${id}"]`);
  if (button && wide.matches) button.scrollIntoView({ block: "nearest" });
  const opener = event.popup._source.getElement?.();
  if (returnFocusTo === id) {
    event.popup.getElement()?.querySelector("a")?.focus({ preventScroll: true });
  } else if (opener && opener === document.activeElement) {
    // Opened from the marker with the keyboard (Enter): focus goes into the popup, and back
    // to the marker when it closes.
    markerOpener = event.popup._source;
    event.popup.getElement()?.querySelector("a")?.focus({ preventScroll: true });
  }
});
map.on("popupclose", (event) => {
  const id = event.popup._source?.featureId;
  if (id !== undefined) {
    selected = null;
    writeUrl(filtersFromForm(form), map);
  }
  markSelected(null);
  const hadFocus = event.popup.getElement()?.contains(document.activeElement);
  if (id !== undefined && id === returnFocusTo && hadFocus) {
    list.querySelector(`[data-id="${id}"]`)?.focus();
  } else if (markerOpener === event.popup._source && hadFocus) {
    markerOpener.getElement()?.focus({ preventScroll: true });
  }
  returnFocusTo = null;
  markerOpener = null;
});

// Leaflet only hears Escape when the map itself has focus; the popup's link has it here.
map.getContainer().addEventListener("keydown", (event) => {
  if (event.key === "Escape" && event.target.closest(".leaflet-popup")) map.closePopup();
});

// --- Loading by bounding box ------------------------------------------------------------------
const clamp = (value, limit) => Math.max(-limit, Math.min(limit, value));
let controller = null;

// The API refuses an extent wider than config.bboxMaxDegrees (directory.limits): zoomed far
// out, the map asks for that span around its centre.
function bboxOf(bounds) {
  const half = (config.bboxMaxDegrees || 360) / 2 - 0.001; // rounding stays inside
  const center = bounds.getCenter();
  return [
    clamp(Math.max(bounds.getWest(), center.lng - half), 180),
    clamp(Math.max(bounds.getSouth(), center.lat - half), 90),
    clamp(Math.min(bounds.getEast(), center.lng + half), 180),
    clamp(Math.min(bounds.getNorth(), center.lat + half), 90),
  ]
    .map((value) => value.toFixed(5))
    .join(",");
}

function countText(data) {
  if (data.mode === "clusters") return format(text.clusters, { n: data.total });
  if (data.total === 0) return text.countNone;
  return data.total === 1 ? text.countOne : format(text.countMany, { n: data.total });
}

async function load() {
  const filters = filtersFromForm(form);
  writeUrl(filters, map, selected);
  directoryLink.href = `${text.directoryUrl}?${filters}`;
  const query = new URLSearchParams(filters);
  query.set("bbox", bboxOf(map.getBounds()));
  controller?.abort();
  controller = new AbortController();
  list.setAttribute("aria-busy", "true");
  let data;
  try {
    const response = await fetch(`${text.apiUrl}?${query}`, {
      signal: controller.signal,
      headers: { Accept: "application/geo+json" },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    data = await response.json();
  } catch (error) {
    if (error.name === "AbortError") return;
    status.textContent = text.error;
    list.removeAttribute("aria-busy");
    return;
  }
  if (data.mode === "clusters") showServerClusters(data.features);
  else showPoints(data.features);
  list.removeAttribute("aria-busy");
  // The API's notice of a filter answered in part (QPV codes without outlines).
  status.textContent = data.avertissement ? `${countText(data)} — ${data.avertissement}` : countText(data);
  openPending();
  document.body.dataset.mapReady = "true";
}

/** Open the popup a permalink asked for, once, if its organisation is in the first answer. */
function openPending() {
  if (!pending) return;
  const marker = [...markers.values()].find((candidate) => candidate.slug === pending);
  pending = null;
  if (marker) clusters.zoomToShowLayer(marker, () => marker.openPopup());
  else selected = null;
}

// --- Sharing the view: the URL is kept up to date, this copies it ---------------------------
const toolsStatus = document.getElementById("tools-status");
const shareFallback = document.getElementById("share-fallback");
const shareUrl = document.getElementById("share-url");

async function copyLink() {
  const url = window.location.href;
  try {
    // Absent outside a secure context, refused when the browser denies the permission.
    await navigator.clipboard.writeText(url);
    shareFallback.hidden = true;
    toolsStatus.textContent = text.linkCopied;
  } catch {
    shareUrl.value = url;
    shareFallback.hidden = false;
    shareUrl.focus();
    shareUrl.select();
    toolsStatus.textContent = text.linkSelected;
  }
}
document.getElementById("copy-link").addEventListener("click", copyLink);

let timer = null;
function loadSoon(delay = 250) {
  window.clearTimeout(timer);
  timer = window.setTimeout(load, delay);
}

map.on("moveend", () => loadSoon());
form.addEventListener("change", () => loadSoon(0));
form.elements.q.addEventListener("input", () => loadSoon(400));
form.addEventListener("submit", (event) => {
  event.preventDefault();
  loadSoon(0);
});

setupLocate({
  button: document.getElementById("locate-me"),
  map,
  status: document.getElementById("tools-status"),
  text,
});
setupAddressSearch({
  form: document.getElementById("address-search"),
  list: document.getElementById("address-results"),
  map,
  status: document.getElementById("tools-status"),
  banUrl: config.banUrl,
  text,
});

load();
