// The MapLibre style: every source is local (vector tiles picket serves from data/basemap, the
// rule layers from /api/layers, GeoJSON the page makes), the glyphs come from glyphs.js, and no
// sprite is used. Layer ids are grouped so that the layer toggles switch groups.
import { GLYPH_URL, FONT_REGULAR, FONT_BOLD } from './glyphs.js';

const EMPTY = { type: 'FeatureCollection', features: [] };
const geojson = () => ({ type: 'geojson', data: EMPTY });

/** Toggle groups: name -> layer ids. */
export const GROUPS = {
  basemap: ['land-fill', 'land-coast'],
  territorial: ['territorial-fill', 'territorial-line', 'territorial-label'],
  eez: ['eez-line', 'eez-label'],
  borders: ['borders-line', 'borders-label'],
  graticule: ['graticule-line', 'graticule-label'],
  zones: ['zones-fill', 'zones-line', 'zones-label'],
  rule_lines: ['rule-lines', 'rule-lines-label'],
  alerts: ['alerts-halo', 'alerts-ring', 'evidence-line', 'evidence-points'],
  assets: ['assets-icon', 'assets-label', 'intercept-line', 'intercept-point'],
};

/** Paint (and text colour) properties per layer that depend on the palette. */
export function paletteProps(p) {
  return {
    background: { 'background-color': p.sea },
    'territorial-fill': { 'fill-color': p.territorialSea },
    'territorial-line': { 'line-color': p.territorialLine },
    'territorial-label': { 'text-color': p.territorialLine, 'text-halo-color': p.textHalo },
    'eez-line': { 'line-color': p.eezLine },
    'eez-label': { 'text-color': p.eezLine, 'text-halo-color': p.textHalo },
    'land-fill': { 'fill-color': p.land },
    'land-coast': { 'line-color': p.coast },
    'borders-line': { 'line-color': p.border },
    'borders-label': { 'text-color': p.border, 'text-halo-color': p.textHalo },
    'graticule-line': { 'line-color': p.graticule },
    'graticule-label': { 'text-color': p.graticuleText, 'text-halo-color': p.textHalo },
    'zones-fill': { 'fill-color': p.zoneFill },
    'zones-line': { 'line-color': p.zoneLine },
    'zones-label': { 'text-color': p.zoneText, 'text-halo-color': p.textHalo },
    'rule-lines': { 'line-color': ['case', ['==', ['get', 'line_kind'], 'limit'], p.ruleLimit, p.ruleLine] },
    'rule-lines-label': { 'text-color': p.ruleText, 'text-halo-color': p.textHalo },
    'assets-label': { 'text-color': p.assetText, 'text-halo-color': p.textHalo },
    'intercept-line': { 'line-color': ['case', ['==', ['get', 'leg'], 'target'], p.interceptTarget, p.intercept] },
    'measure-line': { 'line-color': p.measure },
    'measure-label': { 'text-color': p.measure, 'text-halo-color': p.textHalo },
  };
}

/**
 * The style for palette `p`, the overlays (overlayLayers) last. `basemap` is the tile set's metadata ({minzoom, maxzoom, bounds,
 * tiles: the URL templates}) or
 * null when picket has no tiles (then land and sea come only from the rule layers); `limits` the
 * EEZ outer limit (GeoJSON lines) or null.
 */
export function buildStyle(p, basemap, limits = null) {
  const text = (font, size) => ({ 'text-font': [font], 'text-size': size });
  const sources = {
    rules: geojson(), graticule: geojson(), alerts: geojson(), evidence: geojson(),
    assets: geojson(), intercept: geojson(), selection: geojson(), measure: geojson(),
  };
  const layers = [{ id: 'background', type: 'background', paint: {} }];
  if (basemap) {
    sources.basemap = {
      type: 'vector', tiles: basemap.tiles,
      minzoom: basemap.minzoom ?? 0, maxzoom: basemap.maxzoom ?? 8,
      ...(basemap.bounds ? { bounds: basemap.bounds } : {}),
    };
    layers.push(
      // The territorial sea: each country's land + 12 nm polygon; land is drawn over it, so the
      // tint and its outline only show at sea. Fills without antialiasing: the coast and 12 NM
      // lines outline them anyway, and the extra outline pass costs a software GPU every frame.
      { id: 'territorial-fill', type: 'fill', source: 'basemap', 'source-layer': 'maritime', paint: { 'fill-antialias': false } },
      { id: 'territorial-line', type: 'line', source: 'basemap', 'source-layer': 'maritime', paint: { 'line-width': 1.2, 'line-dasharray': [4, 3] } },
      { id: 'land-fill', type: 'fill', source: 'basemap', 'source-layer': 'land', paint: { 'fill-antialias': false } },
      { id: 'land-coast', type: 'line', source: 'basemap', 'source-layer': 'land', paint: { 'line-width': 0.6 } },
      { id: 'territorial-label', type: 'symbol', source: 'basemap', 'source-layer': 'maritime', minzoom: 7,
        layout: { ...text(FONT_REGULAR, 10), 'symbol-placement': 'line', 'symbol-spacing': 600, 'text-field': ['concat', ['get', 'isoA3'], ' 12 NM'] },
        paint: { 'text-halo-width': 1.2 } },
      { id: 'borders-line', type: 'line', source: 'basemap', 'source-layer': 'borders', paint: { 'line-width': 1.6, 'line-dasharray': [6, 2, 1, 2] } },
      { id: 'borders-label', type: 'symbol', source: 'basemap', 'source-layer': 'borders', minzoom: 6,
        layout: { ...text(FONT_REGULAR, 10), 'symbol-placement': 'line', 'symbol-spacing': 500, 'text-field': ['concat', ['get', 'left_iso'], ' | ', ['get', 'right_iso']] },
        paint: { 'text-halo-width': 1.2 } },
    );
  }
  if (limits) {
    // The EEZ's outer limit (200 NM from land: where the high seas begin): long dashes in its
    // own colour, apart from the territorial sea's short blue dashes and the borders' dash-dot.
    sources.eez = { type: 'geojson', data: limits };
    layers.push(
      { id: 'eez-line', type: 'line', source: 'eez', paint: { 'line-width': 1.6, 'line-dasharray': [10, 3] } },
      { id: 'eez-label', type: 'symbol', source: 'eez', minzoom: 3,
        layout: { ...text(FONT_REGULAR, 10), 'symbol-placement': 'line', 'symbol-spacing': 500, 'text-field': ['get', 'name'] },
        paint: { 'text-halo-width': 1.2 } },
    );
  }
  layers.push(
    { id: 'graticule-line', type: 'line', source: 'graticule', paint: { 'line-width': 0.7 } },
    { id: 'graticule-label', type: 'symbol', source: 'graticule',
      layout: { ...text(FONT_REGULAR, 10), 'symbol-placement': 'line', 'symbol-spacing': 350, 'text-field': ['get', 'label'], 'text-allow-overlap': false },
      paint: { 'text-halo-width': 1.5 } },
    // Rule zones: a faint fill and a solid outline in the rule colour; lines: heavy, the land
    // border red, a zone's seaward limit blue.
    { id: 'zones-fill', type: 'fill', source: 'rules', filter: ['==', ['get', 'kind'], 'zone'], paint: {} },
    { id: 'zones-line', type: 'line', source: 'rules', filter: ['==', ['get', 'kind'], 'zone'], paint: { 'line-width': 1 } },
    { id: 'zones-label', type: 'symbol', source: 'rules', filter: ['==', ['get', 'kind'], 'zone'], minzoom: 8,
      layout: { ...text(FONT_REGULAR, 10), 'symbol-placement': 'line', 'symbol-spacing': 700, 'text-field': ['concat', ['get', 'layer'], '/', ['get', 'name']] },
      paint: { 'text-halo-width': 1.2 } },
    { id: 'rule-lines', type: 'line', source: 'rules', filter: ['==', ['get', 'kind'], 'border'], paint: { 'line-width': 2.6 } },
    { id: 'rule-lines-label', type: 'symbol', source: 'rules', filter: ['==', ['get', 'kind'], 'border'],
      layout: { ...text(FONT_BOLD, 11), 'symbol-placement': 'line', 'symbol-spacing': 400, 'text-field': ['get', 'name'] },
      paint: { 'text-halo-width': 1.5 } },
    // Alerts: a halo that pulses while open, a ring coloured by severity; the selected alert's
    // evidence as a line through its points in time order.
    { id: 'evidence-line', type: 'line', source: 'evidence', paint: { 'line-color': '#ff3030', 'line-width': 2, 'line-dasharray': [2, 2] } },
    { id: 'evidence-points', type: 'circle', source: 'evidence', filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 4, 'circle-color': '#ff3030', 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } },
    ...overlayLayers(),
  );
  // The palette's colours are in the style from the start: each change after load is another
  // frame (and without a GPU a frame is expensive).
  const colours = paletteProps(p);
  for (const l of layers) if (colours[l.id]) l.paint = { ...l.paint, ...colours[l.id] };
  return {
    version: 8,
    name: 'picket',
    glyphs: GLYPH_URL,
    // Paint changes take effect at once: the alerts' pulse steps every 250 ms, and MapLibre's
    // default 300 ms transition made every step animate, so with an open alert the map drew
    // frames back to back instead of one a step.
    transition: { duration: 0, delay: 0 },
    sources,
    layers,
  };
}

/** The layers drawn over the tracks, the style's last: the track layer goes in before them. */
export const OVERLAY_FIRST = 'alerts-halo';

/** Layers drawn over the tracks (the custom track layer goes in before the first). */
export function overlayLayers() {
  const sev = ['match', ['get', 'severity'], 'critical', '#ff1f1f', 'high', '#ff6a1f', 'medium', '#ffb020', '#4da3ff'];
  return [
    { id: 'alerts-halo', type: 'circle', source: 'alerts', filter: ['==', ['get', 'state'], 'open'],
      paint: { 'circle-radius': 16, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-width': 3, 'circle-stroke-color': sev, 'circle-stroke-opacity': 0.5 } },
    { id: 'alerts-ring', type: 'circle', source: 'alerts',
      paint: { 'circle-radius': 12, 'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-width': ['case', ['get', 'selected'], 3, 1.5],
        'circle-stroke-color': ['case', ['==', ['get', 'state'], 'open'], sev, '#888'] } },
    { id: 'selection-ring', type: 'circle', source: 'selection',
      paint: { 'circle-radius': 17, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-width': 2.5, 'circle-stroke-color': '#00e5ff' } },
    { id: 'intercept-line', type: 'line', source: 'intercept', filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-width': 2, 'line-dasharray': [3, 2] } },
    { id: 'intercept-point', type: 'symbol', source: 'intercept', filter: ['==', ['geometry-type'], 'Point'],
      layout: { 'text-font': [FONT_BOLD], 'text-size': 18, 'text-field': '×', 'text-allow-overlap': true, 'text-ignore-placement': true },
      paint: { 'text-color': '#fff', 'text-halo-color': '#000', 'text-halo-width': 1.5 } },
    { id: 'assets-icon', type: 'symbol', source: 'assets',
      layout: { 'icon-image': ['get', 'icon'], 'icon-allow-overlap': true, 'icon-ignore-placement': true, 'icon-size': 0.6 } },
    { id: 'assets-label', type: 'symbol', source: 'assets',
      layout: { 'text-font': [FONT_REGULAR], 'text-size': 11, 'text-field': ['get', 'name'], 'text-anchor': 'left', 'text-offset': [1.3, 0], 'text-optional': true },
      paint: { 'text-halo-width': 1.5 } },
    { id: 'measure-line', type: 'line', source: 'measure', filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-width': 2 } },
    { id: 'measure-label', type: 'symbol', source: 'measure', filter: ['==', ['geometry-type'], 'Point'],
      layout: { 'text-font': [FONT_BOLD], 'text-size': 12, 'text-field': ['get', 'text'], 'text-anchor': 'bottom-left', 'text-offset': [0.6, -0.6], 'text-allow-overlap': true, 'text-ignore-placement': true },
      paint: { 'text-halo-width': 2 } },
  ];
}
