// Web Mercator in MapLibre's units: x, y in 0..1 over the world, y down.

const DEG = Math.PI / 180;
const MAX_LAT = 85.051129;
/** The sphere Web Mercator is defined on: the WGS84 semi-major axis (m). */
export const EARTH_RADIUS_M = 6378137;

export function mercX(lon) {
  return (lon + 180) / 360;
}

export function mercY(lat) {
  const l = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * DEG;
  return 0.5 - Math.log(Math.tan(Math.PI / 4 + l / 2)) / (2 * Math.PI);
}

/** Mercator units per metre at latitude `lat` (the same east and north: conformal). */
export function unitsPerMetre(lat) {
  return 1 / (2 * Math.PI * EARTH_RADIUS_M * Math.cos(Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * DEG));
}
