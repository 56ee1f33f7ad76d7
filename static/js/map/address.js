// "Autour de moi" (browser geolocation) and address search through the BAN, when reachable.
import { format } from "./state.js";

export function setupLocate({ button, map, status, text }) {
  let here = null;
  button.addEventListener("click", () => {
    if (!("geolocation" in navigator)) {
      status.textContent = text.noLocation;
      return;
    }
    status.textContent = text.locating;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const latlng = [position.coords.latitude, position.coords.longitude];
        if (here) here.remove();
        here = L.circleMarker(latlng, { radius: 9, className: "you-are-here" })
          .bindTooltip(text.youAreHere)
          .addTo(map);
        map.setView(latlng, 15);
        status.textContent = text.located;
      },
      () => {
        status.textContent = text.noLocation;
      },
      { timeout: 10000, maximumAge: 60000 },
    );
  });
}

function addressButton(feature, onChoose) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "address-results__choice";
  button.textContent = feature.properties.label;
  button.addEventListener("click", () => onChoose(feature));
  item.append(button);
  return item;
}

export function setupAddressSearch({ form, list, map, status, banUrl, text }) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = form.elements.adresse.value.trim();
    list.replaceChildren();
    if (query.length < 3) return;
    status.textContent = text.addressSearching;
    const centre = map.getCenter();
    const url = `${banUrl}/search/?${new URLSearchParams({
      q: query,
      limit: "5",
      lat: centre.lat.toFixed(4),
      lon: centre.lng.toFixed(4),
    })}`;
    let features;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`BAN: HTTP ${response.status}`);
      features = (await response.json()).features || [];
    } catch {
      // Offline, or the BAN is down: say so and leave the map as it is.
      status.textContent = text.addressOffline;
      return;
    }
    if (features.length === 0) {
      status.textContent = text.addressNone;
      return;
    }
    const choose = (feature) => {
      const [lon, lat] = feature.geometry.coordinates;
      map.setView([lat, lon], 17);
      list.replaceChildren();
      status.textContent = format(text.addressShown, { label: feature.properties.label });
    };
    list.replaceChildren(...features.map((feature) => addressButton(feature, choose)));
    status.textContent = format(text.addressFound, { n: features.length });
  });
}
