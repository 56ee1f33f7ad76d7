// /parcours/: the address is placed by the BAN from the browser (like /annuaire/), the result
// link can be copied, the handout printed, and the structures and the places shown on a small map.
// Without JavaScript the form still works: the server asks the BAN itself.
const form = document.getElementById("pathway-form");
const text = document.getElementById("pathway-text").dataset;

function setupAddress() {
  const { address, lat, lon } = form.elements;
  const status = document.getElementById("address-status");
  let geocoded = lat.value ? address.value : null;
  address.addEventListener("input", () => {
    form.querySelector("#where-adresse").checked = true;
  });
  form.querySelector("#id_quartier").addEventListener("change", () => {
    form.querySelector("#where-quartier").checked = true;
  });
  form.addEventListener("submit", async (event) => {
    const query = address.value.trim();
    const byAddress = form.querySelector("#where-adresse").checked;
    if (!byAddress || !query) {
      lat.value = "";
      lon.value = "";
      return;
    }
    if (query === geocoded && lat.value) return;
    event.preventDefault();
    lat.value = "";
    lon.value = "";
    status.textContent = text.searching;
    try {
      const url = `${text.banUrl}/search/?${new URLSearchParams({ q: query, limit: "1", citycode: "59350" })}`;
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`BAN: HTTP ${response.status}`);
      const feature = (await response.json()).features?.[0];
      if (!feature) throw new Error("no address");
      const [longitude, latitude] = feature.geometry.coordinates;
      lat.value = latitude.toFixed(6);
      lon.value = longitude.toFixed(6);
      address.value = feature.properties.label;
    } catch {
      // Offline or no match: the server tries once more and explains if it fails too.
      status.textContent = text.offline;
    }
    geocoded = address.value;
    form.submit();
  });
}

function setupShare() {
  const copy = document.getElementById("pathway-copy");
  if (!copy) return;
  const field = document.getElementById("pathway-url");
  copy.addEventListener("click", async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      document.execCommand("copy");
    }
    document.getElementById("pathway-count").textContent = text.copied;
  });
  document.getElementById("pathway-print").addEventListener("click", () => window.print());
}

function popup(point) {
  const content = document.createElement("div");
  const link = document.createElement("a");
  link.href = point.page;
  link.textContent = point.name;
  content.append(link);
  const what = [point.contact ? text.contact : "", point.venue ? text.venue : ""].filter(Boolean);
  const said = document.createElement("p");
  said.textContent = what.join(" · ");
  content.append(said);
  if (point.services.length > 0) {
    const services = document.createElement("p");
    services.textContent = point.services.join(", ");
    content.append(services);
  }
  return content;
}

// A structure to contact is a round marker; a place that can host the project (issue 17) a
// square one with a letter, so that colour is never the only cue (the legend says both).
function marker(point) {
  const latlng = [point.lat, point.lon];
  if (point.venue) {
    return L.marker(latlng, {
      icon: L.divIcon({ className: "venue-marker", iconSize: [24, 24] }),
      title: point.name,
      keyboard: true,
    });
  }
  return L.circleMarker(latlng, { radius: 9, color: "#fff", weight: 2, fillColor: "#0b4f4a", fillOpacity: 1 });
}

function setupMap() {
  const box = document.getElementById("pathway-map");
  if (!box || typeof L === "undefined") return;
  const points = JSON.parse(document.getElementById("pathway-points").textContent);
  const tiles = JSON.parse(document.getElementById("map-tiles").textContent);
  const map = L.map(box, { scrollWheelZoom: false });
  if (tiles.length > 0) L.tileLayer(tiles[0].url, tiles[0].options).addTo(map);
  const markers = points.map((point) => marker(point).bindPopup(() => popup(point)).addTo(map));
  map.fitBounds(L.featureGroup(markers).getBounds(), { padding: [30, 30], maxZoom: 15, animate: false });
  box.dataset.ready = "true";
}

setupAddress();
setupShare();
setupMap();
