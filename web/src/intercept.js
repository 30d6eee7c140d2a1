// Patrol intercept: where and when an asset at its maximum speed meets a target that keeps its
// current velocity. Flat-earth local ENU around the asset (equirectangular, mean Earth radius):
// the error is well under 1% for separations below ~200 km, which is the patrol scale.

/** Mean Earth radius (m), IUGG. */
export const EARTH_RADIUS_M = 6371008.8;
const DEG = Math.PI / 180;

/** {east_m, north_m} of `p` ({lat, lon} degrees) in the flat frame centred on `origin`. */
export function toLocal(origin, p) {
  let dlon = p.lon - origin.lon;
  if (dlon > 180) dlon -= 360;
  if (dlon < -180) dlon += 360;
  return {
    east_m: dlon * DEG * EARTH_RADIUS_M * Math.cos(origin.lat * DEG),
    north_m: (p.lat - origin.lat) * DEG * EARTH_RADIUS_M,
  };
}

/** Inverse of toLocal. */
export function fromLocal(origin, east_m, north_m) {
  return {
    lat: origin.lat + north_m / EARTH_RADIUS_M / DEG,
    lon: origin.lon + east_m / (EARTH_RADIUS_M * Math.cos(origin.lat * DEG)) / DEG,
  };
}

/**
 * Smallest t >= 0 with |p + v t| = s t (relative position p, target velocity v, asset speed s),
 * or null when the asset can never catch the target.
 */
export function interceptTime(px, py, vx, vy, s) {
  const a = vx * vx + vy * vy - s * s;
  const b = 2 * (px * vx + py * vy);
  const c = px * px + py * py;
  if (c === 0) return 0;
  if (Math.abs(a) < 1e-9) {
    // Same speed: linear, a solution only if the target is closing.
    const t = -c / b;
    return b < 0 && t >= 0 ? t : null;
  }
  const disc = b * b - 4 * a * c;
  if (disc < 0) return null;
  const r = Math.sqrt(disc);
  const roots = [(-b - r) / (2 * a), (-b + r) / (2 * a)].filter((t) => t >= 0);
  return roots.length ? Math.min(...roots) : null;
}

/**
 * Intercept of `target` ({lat, lon, east_mps, north_mps}) by `asset` ({lat, lon, max_speed_mps}).
 * Returns {ok:true, time_s, point:{lat,lon}, course_deg, distance_m} or {ok:false, reason}.
 */
export function computeIntercept(asset, target) {
  const s = asset.max_speed_mps;
  if (!(s > 0)) return { ok: false, reason: 'asset has no usable speed' };
  const p = toLocal(asset, target);
  const vx = target.east_mps ?? 0;
  const vy = target.north_mps ?? 0;
  const t = interceptTime(p.east_m, p.north_m, vx, vy, s);
  if (t === null) return { ok: false, reason: 'no intercept: the target is faster and opening' };
  const ex = p.east_m + vx * t;
  const ny = p.north_m + vy * t;
  let course = Math.atan2(ex, ny) / DEG;
  if (course < 0) course += 360;
  return {
    ok: true,
    time_s: t,
    point: fromLocal(asset, ex, ny),
    course_deg: course,
    distance_m: Math.hypot(ex, ny),
  };
}

/**
 * The available asset that reaches `target` first: {asset, result} or null when none can.
 */
export function nearestAsset(assets, target) {
  let best = null;
  for (const asset of assets) {
    if (asset.available === false) continue;
    const result = computeIntercept(asset, target);
    if (result.ok && (!best || result.time_s < best.result.time_s)) best = { asset, result };
  }
  return best;
}

/**
 * What to send an asset to for an incident: its first live track (position and velocity), else
 * where the incident's latest evidence was, standing still. `tracks`: the store's track map.
 */
export function incidentTarget(incident, tracks) {
  const p = incident.properties;
  for (const id of p.track_ids?.length ? p.track_ids : [p.track_id]) {
    const t = id ? tracks.get(id) : undefined;
    if (t) return { lat: t.lat, lon: t.lon, east_mps: t.p.east_mps, north_mps: t.p.north_mps, track_id: id };
  }
  const [lon, lat] = incident.geometry.coordinates;
  return { lat, lon, east_mps: 0, north_mps: 0, track_id: null };
}

/**
 * Every asset with its intercept of `target`, the fastest first and those that cannot reach it
 * last (busy assets are listed too: the operator may still choose one). [{asset, result}]
 */
export function rankAssets(assets, target) {
  return assets
    .map((asset) => ({ asset, result: computeIntercept(asset, target) }))
    .sort((a, b) => {
      const ta = a.result.ok ? a.result.time_s : Infinity;
      const tb = b.result.ok ? b.result.time_s : Infinity;
      return ta - tb || String(a.asset.id).localeCompare(String(b.asset.id));
    });
}
