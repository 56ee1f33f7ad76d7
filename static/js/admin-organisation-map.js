// Map of the organisations selected by the admin changelist's filters.
// django-leaflet calls window.cartessOrganisationsMap(map) once the map exists; the features
// come from the page (json_script), serialised by PostGIS.
window.cartessOrganisationsMap = function (map) {
  const source = document.getElementById("organisations-features");
  const features = JSON.parse(source.textContent);
  const layer = L.geoJSON(features, {
    pointToLayer(feature, latlng) {
      const name = feature.properties.name;
      return L.marker(latlng, { title: name, alt: name });
    },
    onEachFeature(feature, marker) {
      const link = document.createElement("a");
      link.href = `${feature.id}/change/`;
      link.textContent = feature.properties.name;
      marker.bindPopup(link);
    },
  }).addTo(map);
  if (layer.getLayers().length > 0) {
    // No animation: the markers are where they will stay as soon as the page shows them.
    map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [24, 24], animate: false });
  }
};
