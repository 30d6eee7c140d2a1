// What the map shows of an alert's evidence, and the extent of a layer: plain functions of
// GeoJSON (tested under node).

const EMPTY = { type: 'FeatureCollection', features: [] };

export function line(coordinates, properties) {
  return { type: 'Feature', geometry: { type: 'LineString', coordinates }, properties };
}

/**
 * The selected alert's evidence on the map: its timeline (incidents: `timeline` entries with a
 * position) or, for a plain alert, the evidence position and the alert position, in time order.
 */
export function evidenceFeatures(a) {
  if (!a) return EMPTY;
  const p = a.properties ?? {};
  const entries = (Array.isArray(p.timeline) ? p.timeline : [])
    .map((e) => ({ time: e.time ?? '', lon: e.lon ?? e.evidence?.lon, lat: e.lat ?? e.evidence?.lat }))
    .filter((e) => Number.isFinite(e.lon) && Number.isFinite(e.lat));
  if (!entries.length) {
    const e = p.evidence ?? {};
    if (Number.isFinite(e.lon) && Number.isFinite(e.lat)) entries.push({ time: e.time ?? '', lon: e.lon, lat: e.lat });
    const [lon, lat] = a.geometry?.coordinates ?? [];
    if (Number.isFinite(lon) && Number.isFinite(lat)) entries.push({ time: p.time ?? '', lon, lat });
  }
  entries.sort((x, y) => x.time.localeCompare(y.time));
  const features = entries.map((e, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [e.lon, e.lat] }, properties: { time: e.time, order: i } }));
  if (entries.length > 1) features.push(line(entries.map((e) => [e.lon, e.lat]), {}));
  return { type: 'FeatureCollection', features };
}

/** [minLon, minLat, maxLon, maxLat] of a FeatureCollection, or null. */
export function bboxOf(fc) {
  const b = [180, 90, -180, -90];
  const grow = (c) => {
    if (typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]);
      b[1] = Math.min(b[1], c[1]);
      b[2] = Math.max(b[2], c[0]);
      b[3] = Math.max(b[3], c[1]);
    } else c.forEach(grow);
  };
  for (const f of fc?.features ?? []) if (f.geometry?.coordinates) grow(f.geometry.coordinates);
  return b[2] > b[0] ? b : null;
}

