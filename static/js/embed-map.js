// The embeddable map (/embed/carte/): the organisations the query selects, as points on a
// small map and the same list as text; every link opens full Cartess in a new tab.
const box = document.getElementById("embed-map");
const config = JSON.parse(document.getElementById("map-config").textContent);
const status = document.getElementById("embed-status");
const list = document.getElementById("embed-results");
const text = box.dataset;

const map = L.map(box, { center: config.center, zoom: config.zoom, scrollWheelZoom: false });
if (config.tiles.length > 0) L.tileLayer(config.tiles[0].url, config.tiles[0].options).addTo(map);

function newTabLink(href, label) {
  const link = document.createElement("a");
  link.href = href;
  link.target = "_blank";
  link.rel = "noopener";
  link.textContent = label;
  link.setAttribute("aria-label", `${label} ${text.newTab}`);
  return link;
}

function showPoints(features) {
  const markers = features.map((feature) => {
    const [lon, lat] = feature.geometry.coordinates;
    const { name, slug } = feature.properties;
    const href = text.detailUrl.replace("__slug__", slug);
    const item = document.createElement("li");
    item.append(newTabLink(href, name));
    list.append(item);
    return L.circleMarker([lat, lon], {
      radius: 7, color: "#fff", weight: 2, fillColor: "#0b4f4a", fillOpacity: 1,
    }).bindPopup(() => newTabLink(href, name));
  });
  if (markers.length > 0) {
    const group = L.featureGroup(markers).addTo(map);
    map.fitBounds(group.getBounds(), { padding: [16, 16], maxZoom: 16, animate: false });
  }
}

function showClusters(features) {
  features.forEach((feature) => {
    const [lon, lat] = feature.geometry.coordinates;
    L.circleMarker([lat, lon], { radius: 12, color: "#0b4f4a", fillOpacity: 0.6 })
      .bindTooltip(String(feature.properties.count), { permanent: true, direction: "center" })
      .addTo(map);
  });
}

fetch(text.apiUrl, { headers: { Accept: "application/geo+json" } })
  .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
  .then((collection) => {
    if (collection.mode === "clusters") {
      showClusters(collection.features);
      status.textContent = text.clusters.replace("{n}", collection.total);
      return;
    }
    showPoints(collection.features);
    if (collection.total === 0) status.textContent = text.countNone;
    else if (collection.total === 1) status.textContent = text.countOne;
    else status.textContent = text.countMany.replace("{n}", collection.total);
  })
  .catch(() => {
    status.textContent = text.error;
  });
