// The basemap's vector tiles come from picket itself (/tiles/z/x/y.pbf, made at setup from the
// npm border data by scripts/derive-basemap.sh; an empty tile is an empty answer), named by
// the page's own address, so the style names no other server. MapLibre's worker fetches them
// itself: through a protocol handler (addProtocol) every tile went through the main thread,
// which waits on each WebGL frame (SwiftShader: hundreds of ms), and the first tiles arrived
// seconds after they were asked for (bench/web).

/** The tile URL template for the style, on the page's own server. */
export function tileUrl() {
  return `${new URL('tiles/', document.baseURI).href}{z}/{x}/{y}.pbf`;
}

/** The tile set's metadata (minzoom, maxzoom, bounds) or null when picket has no basemap. */
export async function basemapMetadata() {
  try {
    const res = await fetch('tiles/metadata.json');
    if (!res.ok) return null;
    const m = await res.json();
    const num = (v) => (v === undefined ? undefined : Number(v));
    const bounds = typeof m.bounds === 'string' ? m.bounds.split(',').map(Number) : m.bounds;
    return { minzoom: num(m.minzoom) ?? 0, maxzoom: num(m.maxzoom) ?? 8, bounds, tiles: [tileUrl()] };
  } catch {
    return null;
  }
}

/**
 * The exclusive economic zones' outer limit (GeoJSON lines, scripts/derive-eez.sh), served with
 * the tiles, or null when picket has none.
 */
export async function basemapLimits() {
  try {
    const res = await fetch('tiles/eez.json');
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}
