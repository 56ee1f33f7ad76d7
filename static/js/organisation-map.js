// The small map of an organisation's detail page: its point on the tiles (when online).
const box = document.getElementById("organisation-map");
const tiles = JSON.parse(document.getElementById("map-tiles").textContent);
const latlng = [Number(box.dataset.lat), Number(box.dataset.lon)];
const map = L.map(box, { center: latlng, zoom: 16, scrollWheelZoom: false, keyboard: false });
if (tiles.length > 0) L.tileLayer(tiles[0].url, tiles[0].options).addTo(map);
L.circleMarker(latlng, { radius: 10, color: "#fff", weight: 3, fillColor: "#0b4f4a", fillOpacity: 1 })
  .bindTooltip(box.dataset.name, { permanent: false })
  .addTo(map);
