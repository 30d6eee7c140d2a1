// The graticule: meridians and parallels at a step that gives a handful of lines across the
// view, as GeoJSON for a line layer, each line labelled with its value ("8°30′S").

const STEPS_MIN = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800]; // minutes of arc

/** The step (degrees) that puts about `target` lines across `spanDeg`. */
export function graticuleStep(spanDeg, target = 6) {
  const want = (spanDeg * 60) / target;
  for (const m of STEPS_MIN) if (m >= want) return m / 60;
  return STEPS_MIN[STEPS_MIN.length - 1] / 60;
}

/** "8°S", "8°30′S", "125°E"; `step` decides whether minutes are shown. */
export function graticuleLabel(value, isLat, step) {
  const hemi = isLat ? (value < 0 ? 'S' : value > 0 ? 'N' : '') : (value < 0 ? 'W' : value > 0 ? 'E' : '');
  const a = Math.abs(value);
  const totalMin = Math.round(a * 60);
  const d = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  return step < 1 || m ? `${d}°${String(m).padStart(2, '0')}′${hemi}` : `${d}°${hemi}`;
}

/** The larger of a view's width and height, degrees. */
export function spanOf(bounds) {
  return Math.max(bounds.east - bounds.west, bounds.north - bounds.south);
}

/**
 * FeatureCollection of LineStrings covering `bounds` ({west, south, east, north} degrees) with
 * a margin; properties {label, axis: 'lat'|'lon'}. `step` defaults to the one for the bounds.
 */
export function graticule(bounds, target = 6, step = graticuleStep(spanOf(bounds), target)) {
  const south = Math.max(-85, Math.floor(bounds.south / step) * step);
  const north = Math.min(85, Math.ceil(bounds.north / step) * step);
  const west = Math.floor(bounds.west / step) * step;
  const east = Math.ceil(bounds.east / step) * step;
  const features = [];
  const round = (v) => Math.round(v * 1e6) / 1e6;
  for (let i = 0, lat = south; lat <= north + 1e-9 && i < 400; i++, lat = south + i * step) {
    // Web Mercator draws parallels straight: two points are the whole line.
    const coords = [[west, round(lat)], [east, round(lat)]];
    features.push({ type: 'Feature', properties: { axis: 'lat', label: graticuleLabel(round(lat), true, step) }, geometry: { type: 'LineString', coordinates: coords } });
  }
  for (let i = 0, lon = west; lon <= east + 1e-9 && i < 400; i++, lon = west + i * step) {
    const wrapped = ((round(lon) + 540) % 360) - 180;
    features.push({ type: 'Feature', properties: { axis: 'lon', label: graticuleLabel(wrapped, false, step) }, geometry: { type: 'LineString', coordinates: [[round(lon), south], [round(lon), north]] } });
  }
  return { type: 'FeatureCollection', features };
}

/**
 * Whether the graticule made for `cover` ({west, south, east, north, step}) still serves a view
 * of `bounds`: the same step, and the view inside the covered area.
 */
export function graticuleCovers(cover, bounds, target = 6) {
  return cover != null && cover.step === graticuleStep(spanOf(bounds), target) &&
    bounds.west >= cover.west && bounds.east <= cover.east && bounds.south >= cover.south && bounds.north <= cover.north;
}

/** The area to draw the graticule over for a view: the view and one view's span around it. */
export function graticuleCover(bounds, target = 6) {
  const span = spanOf(bounds);
  return {
    west: bounds.west - span, east: bounds.east + span,
    south: Math.max(-85, bounds.south - span), north: Math.min(85, bounds.north + span),
    step: graticuleStep(span, target),
  };
}
