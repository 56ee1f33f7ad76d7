// The map of a listing's edit form: click the map or drag the marker to place the point;
// the latitude and longitude fields (which a person may also type) follow, and so does the
// marker when they are typed. "Placer d'après l'adresse" asks the BAN for the typed address.
const box = document.getElementById("listing-map");
const tiles = JSON.parse(document.getElementById("map-tiles").textContent);
const latField = document.getElementById("id_latitude");
const lonField = document.getElementById("id_longitude");
const status = document.getElementById("listing-map-status");
const centre = [Number(box.dataset.lat), Number(box.dataset.lon)];

const map = L.map(box, { center: centre, zoom: latField.value ? 17 : 13, scrollWheelZoom: false });
if (tiles.length > 0) L.tileLayer(tiles[0].url, tiles[0].options).addTo(map);
const marker = L.marker(centre, { draggable: true, autoPan: true, title: box.dataset.markerTitle, alt: box.dataset.markerTitle });

function typedPoint() {
  const lat = Number.parseFloat(latField.value);
  const lon = Number.parseFloat(lonField.value);
  return Number.isFinite(lat) && Number.isFinite(lon) ? [lat, lon] : null;
}

function place(latlng, { pan = false } = {}) {
  marker.setLatLng(latlng).addTo(map);
  if (pan) map.setView(latlng, Math.max(map.getZoom(), 17));
}

function write(latlng) {
  latField.value = latlng.lat.toFixed(6);
  lonField.value = latlng.lng.toFixed(6);
  status.textContent = box.dataset.moved;
}

const start = typedPoint();
if (start) place(start);

map.on("click", (event) => {
  place(event.latlng);
  write(event.latlng);
});
marker.on("dragend", () => write(marker.getLatLng()));
for (const field of [latField, lonField]) {
  field.addEventListener("change", () => {
    const point = typedPoint();
    if (point) place(point, { pan: true });
    else marker.remove();
  });
}

const locate = document.getElementById("listing-locate");
locate.hidden = false;
locate.addEventListener("click", async () => {
  const parts = ["id_street", "id_postcode", "id_city"].map((id) => document.getElementById(id).value.trim());
  const query = parts.filter(Boolean).join(" ");
  if (!query) {
    status.textContent = box.dataset.noAddress;
    return;
  }
  status.textContent = box.dataset.searching;
  try {
    const url = `${box.dataset.banUrl}/search/?${new URLSearchParams({ q: query, limit: "1" })}`;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const found = (await response.json()).features?.[0];
    if (!response.ok || !found) {
      status.textContent = box.dataset.notFound;
      return;
    }
    const [lon, lat] = found.geometry.coordinates;
    const latlng = L.latLng(lat, lon);
    place(latlng, { pan: true });
    write(latlng);
    status.textContent = `${box.dataset.found} ${found.properties.label}`;
  } catch {
    status.textContent = box.dataset.offline;
  }
});
