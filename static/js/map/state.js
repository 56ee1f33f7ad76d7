// The map's state lives in the URL: filters, centre, zoom and the organisation whose popup is
// open (`org`, its slug). A copied link reproduces the view.

export const FILTER_NAMES = ["q", "kind", "sector", "stage", "legal_family", "quartier", "qpv"];

/** Filters of the form, as URLSearchParams (empty values left out). */
export function filtersFromForm(form) {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (FILTER_NAMES.includes(name) && String(value).trim() !== "") {
      params.append(name, String(value).trim());
    }
  }
  return params;
}

/** The view (centre, zoom) asked by the URL, or null. */
export function viewFromUrl(search = window.location.search) {
  const params = new URLSearchParams(search);
  const lat = Number.parseFloat(params.get("lat"));
  const lon = Number.parseFloat(params.get("lon"));
  const zoom = Number.parseInt(params.get("zoom"), 10);
  if ([lat, lon, zoom].some(Number.isNaN) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    return null;
  }
  return { center: [lat, lon], zoom };
}

/** The slug of the organisation whose popup the URL asks to open, or null. */
export function selectedFromUrl(search = window.location.search) {
  const slug = new URLSearchParams(search).get("org");
  return slug && /^[\w-]+$/.test(slug) ? slug : null;
}

/** Write filters, view and open popup into the address bar, without a history entry per move. */
export function writeUrl(filters, map, selected = null) {
  const params = new URLSearchParams(filters);
  const centre = map.getCenter();
  params.set("lat", centre.lat.toFixed(5));
  params.set("lon", centre.lng.toFixed(5));
  params.set("zoom", String(map.getZoom()));
  if (selected) params.set("org", selected);
  const url = `${window.location.pathname}?${params}`;
  if (url !== `${window.location.pathname}${window.location.search}`) {
    window.history.replaceState(null, "", url);
  }
  return params;
}

/** `text` with `{name}` placeholders replaced. */
export function format(text, values) {
  return text.replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));
}
