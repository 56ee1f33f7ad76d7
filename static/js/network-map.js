// The small map of a network's page: its members' points, fitted to the view (when online).
const box = document.getElementById("network-map");
const tiles = JSON.parse(document.getElementById("map-tiles").textContent);
const points = JSON.parse(document.getElementById("network-points").textContent);
const map = L.map(box, { scrollWheelZoom: false, keyboard: false });
if (tiles.length > 0) L.tileLayer(tiles[0].url, tiles[0].options).addTo(map);
const markers = points.map((point) =>
  L.circleMarker([point.lat, point.lon], {
    radius: 8, color: "#fff", weight: 2, fillColor: "#0b4f4a", fillOpacity: 1,
  }).bindTooltip(point.name),
);
const group = L.featureGroup(markers).addTo(map);
map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 16, animate: false });
