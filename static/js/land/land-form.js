// /foncier/ site form: what is drawn on a map is also written in the text fields that follow
// it (latitude and longitude, or the outline in WKT), so a screen reader reads what was drawn
// and the two ways of giving a geometry always agree. django-leaflet keeps the drawing in a
// hidden textarea (GeoJSON); it is read once Leaflet.draw's event has been handled.

const DECIMALS = 6;
const french = (value) => value.toFixed(DECIMALS).replace(".", ",");
const pair = ([lon, lat]) => `${lon.toFixed(DECIMALS)} ${lat.toFixed(DECIMALS)}`;
const ring = (coordinates) => `(${coordinates.map(pair).join(", ")})`;
const polygon = (rings) => `(${rings.map(ring).join(", ")})`;

function wkt(geometry) {
  if (geometry.type === "Polygon") return `MULTIPOLYGON (${polygon(geometry.coordinates)})`;
  if (geometry.type === "MultiPolygon") {
    return `MULTIPOLYGON (${geometry.coordinates.map(polygon).join(", ")})`;
  }
  return "";
}

function readDrawing(fieldId) {
  const text = document.getElementById(fieldId)?.value.trim();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const writers = {
  id_location(geometry) {
    const point = geometry?.type === "Point" ? geometry.coordinates : null;
    document.getElementById("id_latitude").value = point ? french(point[1]) : "";
    document.getElementById("id_longitude").value = point ? french(point[0]) : "";
  },
  id_footprint(geometry) {
    document.getElementById("id_footprint_text").value = geometry ? wkt(geometry) : "";
  },
};

window.addEventListener("map:init", (event) => {
  const { map } = event.detail;
  const fieldId = map.getContainer().id.replace(/-map$/, "");
  const write = writers[fieldId];
  if (!write) return;
  for (const name of ["draw:created", "draw:edited", "draw:deleted"]) {
    map.on(name, () => setTimeout(() => write(readDrawing(fieldId)), 0));
  }
});
