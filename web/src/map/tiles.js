// The basemap's vector tiles come from picket itself (/tiles/z/x/y.pbf, made at setup from the
// npm border data by scripts/derive-basemap.sh; an empty tile is an empty answer). Fetched
// through a protocol of the page's own so that the style names no server.
export function installTileProtocol(maplibregl) {
  maplibregl.addProtocol('picket-tiles', async (params, abort) => {
    const path = params.url.replace('picket-tiles://', '');
    const res = await fetch(new URL(`tiles/${path}.pbf`, document.baseURI), { signal: abort.signal });
    if (!res.ok) throw new Error(`tile ${path}: HTTP ${res.status}`);
    return { data: await res.arrayBuffer() };
  });
}

/** The tile set's metadata (minzoom, maxzoom, bounds) or null when picket has no basemap. */
export async function basemapMetadata() {
  try {
    const res = await fetch('tiles/metadata.json');
    if (!res.ok) return null;
    const m = await res.json();
    const num = (v) => (v === undefined ? undefined : Number(v));
    const bounds = typeof m.bounds === 'string' ? m.bounds.split(',').map(Number) : m.bounds;
    return { minzoom: num(m.minzoom) ?? 0, maxzoom: num(m.maxzoom) ?? 8, bounds };
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
