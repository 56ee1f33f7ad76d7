// The map of /lieux/: the places of the current filters (the "places" layer), each linked to
// its page; the list below the map says the same for whoever does not use the map.
const box = document.getElementById("places-map");
const tiles = JSON.parse(document.getElementById("map-tiles").textContent);
const map = L.map(box, { center: [50.6292, 3.0573], zoom: 12, scrollWheelZoom: false });
if (tiles.length > 0) L.tileLayer(tiles[0].url, tiles[0].options).addTo(map);

function popup(properties) {
  const content = document.createElement("div");
  const link = document.createElement("a");
  link.href = `/organisations/${encodeURIComponent(properties.slug)}/`;
  link.textContent = properties.name;
  content.append(link);
  if (properties.services.length > 0) {
    const services = document.createElement("p");
    services.textContent = properties.services.join(", ");
    content.append(services);
  }
  return content;
}

fetch(box.dataset.url, { headers: { Accept: "application/geo+json" } })
  .then((response) => (response.ok ? response.json() : { features: [] }))
  .then((collection) => {
    const layer = L.geoJSON(collection, {
      pointToLayer: (feature, latlng) =>
        L.circleMarker(latlng, {
          radius: feature.properties.totem ? 10 : 8,
          color: "#fff",
          weight: 2,
          fillColor: feature.properties.totem ? "#8a3b12" : "#0b4f4a",
          fillOpacity: 1,
        }),
      onEachFeature: (feature, marker) => marker.bindPopup(popup(feature.properties)),
    }).addTo(map);
    if (collection.features.length > 0) {
      map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 16, animate: false });
    }
  });
