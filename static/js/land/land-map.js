// /foncier/ and /foncier/<slug>/: the sites of the page (GeoJSON built by PostGIS, embedded in
// the page) on a Leaflet map. The table of the page is the accessible equivalent.

const readJson = (id) => JSON.parse(document.getElementById(id).textContent);
const config = readJson("map-config");
const labels = readJson("land-labels");
const features = readJson("land-features");

const map = L.map("land-map", {
  center: config.center,
  zoom: config.zoom,
  minZoom: config.minZoom,
  maxZoom: config.maxZoom,
});
// Tiles come from the internet; offline the sites still show.
if (config.tiles.length > 0) {
  L.tileLayer(config.tiles[0].url, config.tiles[0].options).addTo(map);
}

function element(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content) node.textContent = content;
  return node;
}

function popup({ properties }) {
  const box = element("div", "popup");
  box.append(element("p", "popup__title", properties.name));
  const facts = [labels.kind[properties.kind], labels.status[properties.status]];
  facts.push(labels.stage[properties.stage]);
  box.append(element("p", "popup__kinds", facts.filter(Boolean).join(" · ")));
  const link = element("a", "popup__link", properties.name);
  link.href = labels.detailUrl.replace("__slug__", encodeURIComponent(properties.slug));
  box.append(link);
  return box;
}

const points = L.markerClusterGroup
  ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 })
  : L.featureGroup();
const isPoint = (feature) => feature.geometry.type === "Point";

for (const feature of features.features.filter(isPoint)) {
  const [lon, lat] = feature.geometry.coordinates;
  const marker = L.marker([lat, lon], {
    icon: L.divIcon({
      className: `premises-marker stage-${feature.properties.stage}`,
      iconSize: [22, 22],
    }),
    title: feature.properties.name,
    keyboard: true,
  });
  marker.bindPopup(() => popup(feature));
  marker.on("add", () => marker.getElement()?.setAttribute("aria-label", feature.properties.name));
  points.addLayer(marker);
}
points.addTo(map);

// Outlines (friches, land) drawn as polygons.
const shapes = L.geoJSON(features, {
  filter: (feature) => !isPoint(feature),
  style: { color: "#a34100", weight: 2, fillOpacity: 0.2 },
  onEachFeature: (feature, layer) => layer.bindPopup(() => popup(feature)),
}).addTo(map);

const bounds = L.latLngBounds([]);
if (shapes.getBounds().isValid()) bounds.extend(shapes.getBounds());
if (points.getBounds().isValid()) bounds.extend(points.getBounds());
// No animation: the page says it is ready once the markers stand where they stay.
if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 17, padding: [20, 20], animate: false });
document.body.dataset.mapReady = "true";
