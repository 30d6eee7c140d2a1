// The map: MapLibre GL JS (WebGL) with picket's own layers only — basemap vector tiles served
// by picket (data/basemap, made at setup), the rule layers from /api/layers, glyphs drawn in the
// page — so nothing is fetched from elsewhere. Tracks are a custom GPU layer (track_layer.js),
// their labels a decluttered 2D overlay (track_labels.js); alerts, assets, the intercept and the
// selection are small GeoJSON sources. The interface the panels use (selectedTrack,
// selectedAlert, assets, intercept, touch, setLayers, centreOn, onSelectTrack) is the old
// Canvas map's.
import { installGlyphProtocol, prepareGlyphs } from './glyphs.js';
import { buildStyle, paletteProps, GROUPS, OVERLAY_FIRST } from './map_style.js';
import { PALETTES } from './palettes.js';
import { TrackLayer } from './track_layer.js';
import { TrackLabels } from './track_labels.js';
import { buildAtlas } from './symbol_atlas.js';
import { graticule, graticuleCover, graticuleCovers } from './graticule.js';
import { evidenceFeatures, bboxOf, line } from './evidence.js';

const maplibregl = globalThis.maplibregl;
const EMPTY = { type: 'FeatureCollection', features: [] };
const OVERLAY_MS = 250; // alerts, selection, assets refreshed at most this often
const PULSE_MS = 250; // the open alerts' halo pulses in steps this long (each step is a map frame)
// The map draws nothing until the first view has what it needs, but at most this long: a view
// with no tiles or a feed that never answers still gets a map.
const HOLD_MAX_MS = 8000;

export class MapView {
  /**
   * `container`: the map's element; `labelCanvas`: a canvas laid over it; `rules`: the rule
   * layers (GeoJSON) when the page has them already: the first view is fitted to them, so the
   * first tiles fetched are the ones shown; `limits`: the EEZ outer limit (tiles.js).
   */
  constructor(container, store, { labelCanvas, basemap = null, limits = null, palette = 'night', rules = null } = {}) {
    installGlyphProtocol(maplibregl);
    prepareGlyphs();
    this.store = store;
    this.selectedTrack = null;
    this.selectedAlert = null;
    this.assets = [];
    this.intercept = null; // {asset:{lat,lon}, target:{lat,lon}, point:{lat,lon}} or null
    this.onSelectTrack = () => {};
    this.onSelectAlert = () => {};
    this.onClick = null; // a tool (range and bearing) may take clicks over
    this.paletteName = palette;
    this.frames = 0; // animation frames since start (the fluidity measure reads it)
    this.overlayVersion = 0;
    this.drawnOverlay = -1;
    this.drawnStore = -1;
    this.overlayAt = -Infinity;
    // What each overlay source was last given (JSON): they start empty in the style, and an
    // update that changes nothing would still cost the worker a pass and the map a frame.
    this.sent = Object.fromEntries(['alerts', 'evidence', 'selection', 'assets', 'intercept'].map((id) => [id, JSON.stringify(EMPTY)]));
    this.hidden = new Set(); // toggle groups switched off
    this.firstPictureMs = null;
    // When each part of the first picture was ready (ms since navigation start; bench/web).
    this.marks = { map: performance.now() };
    const bbox = rules ? bboxOf(rules) : null;
    const style = buildStyle(PALETTES[palette], basemap, limits);
    if (rules) {
      style.sources.rules.data = rules;
      this.rulesGiven = rules;
      this.rulesSet = true;
      this.fitted = bbox !== null;
    }
    this.map = new maplibregl.Map({
      container,
      style,
      ...(bbox ? { bounds: [[bbox[0], bbox[1]], [bbox[2], bbox[3]]], fitBoundsOptions: { padding: 30 } } : { center: [125.5, -9], zoom: 7 }),
      minZoom: 1,
      maxZoom: 18,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      attributionControl: false,
      fadeDuration: 0,
    });
    // The track symbols' atlas (addSymbols) is drawn once the first frame has asked for the
    // first view's tiles; `symbolsReady` resolves with it.
    this.atlas = null;
    this.symbolsReady = new Promise((resolve) => { this.resolveSymbols = resolve; });
    this.tracks = new TrackLayer(store, null);
    this.labels = new TrackLabels(labelCanvas, store, this.tracks);
    this.holdFirstFrames();
    this.map.touchZoomRotate.disableRotation();
    this.map.keyboard.disableRotation();
    this.map.addControl(new maplibregl.AttributionControl({ compact: true, customAttribution: 'Map data © OpenStreetMap contributors (ODbL)' }), 'bottom-right');
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'nautical', maxWidth: 120 }), 'bottom-left');
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    // The tracks and overlays go on as soon as the style is parsed, not after every tile of the
    // first view has loaded ('load'): tracks need no tiles.
    this.ready = new Promise((resolve) => this.map.once('style.load', resolve)).then(() => this.onLoad());
    this.map.on('error', (e) => {
      // A tile or glyph that failed is drawn without; say so once, quietly, not per tile.
      if (!this.loggedError) console.warn('map:', e.error?.message ?? e);
      this.loggedError = true;
    });
    let moved = true;
    this.map.on('move', () => { moved = true; });
    this.map.on('moveend', () => this.refreshGraticule());
    this.map.on('sourcedata', (e) => {
      if (e.sourceId === 'basemap' && e.tile && this.marks.tile === undefined) this.marks.tile = performance.now();
    });
    this.map.on('render', () => {
      this.tracks.symbolRadiusPx = TrackLayer.symbolPx(this.map.getZoom()) * 0.36;
      if (this.holding) {
        if (this.firstViewReady()) this.release('ready');
        return;
      }
      // What the first frame drawn had (the browser test checks it was complete). `style`: the
      // style and our overlays are on (style.load ran onLoad). Not isStyleLoaded(): that is also
      // false while any GeoJSON source re-tiles after setData, which live data (an alert, the
      // assets) can start between the release and this frame; the frame still draws that
      // source's previous data (web_browser_map failed 1 run in 10 on it: style false, every
      // other part there). `updating` says whether such an update was in flight.
      this.firstFrame ??= {
        style: this.loaded === true, updating: this.map.isStyleLoaded() !== true,
        basemap: this.map.getSource('basemap') ? this.map.isSourceLoaded('basemap') : null,
        rules: this.map.isSourceLoaded('rules'), symbols: this.atlas !== null, tracks: this.tracks.count,
      };
      this.labels.update(moved);
      moved = false;
      if (this.firstPictureMs === null) this.checkFirstPicture();
    });
    this.map.on('click', (e) => this.handleClick(e));
    const loop = (now) => {
      this.frames++;
      this.tick(now);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }

  /**
   * Holds every GL frame until the first view is complete (firstViewReady), then draws it once.
   * Without a GPU (SwiftShader) each frame costs the GPU process 150 ms-1.2 s, and the browser
   * then reads the canvas back, blocking the page's main thread until it is drawn; the map drew
   * about ten frames on the way (style, each tile, glyphs, rules, tracks), so the first picture
   * came 7-20 s after load. While held, MapLibre still runs its frames' CPU side — tiles asked
   * for, symbols placed, events fired — but its painter issues no GL call, so the canvas is
   * never changed and never read back. The painter is MapLibre's own (not public API): without
   * one the map just draws as before.
   */
  holdFirstFrames() {
    const painter = this.map.painter;
    this.holding = false;
    if (typeof painter?.render !== 'function') return;
    const render = painter.render;
    this.heldFrames = 0; // frames MapLibre ran without drawing
    painter.render = (...args) => {
      if (!this.holding) return render.apply(painter, args);
      this.heldFrames++;
      return undefined;
    };
    this.holding = true;
    // Hidden, the canvas is not composited either: a canvas on screen is read back at its first
    // commit even blank (175 ms here).
    this.map.getCanvas().style.visibility = 'hidden';
    this.holdTimer = setTimeout(() => this.release('timeout'), HOLD_MAX_MS);
    this.store.onChange((kind) => {
      if (kind === 'snapshot') this.haveSnapshot = true;
    });
  }

  /**
   * The first view has everything: the style, the tracks' layer and symbols, every source's tiles in
   * view loaded (basemap tiles with their glyphs, the rule layers, the EEZ limit, the graticule)
   * and the live picture's first snapshot in the store.
   */
  firstViewReady() {
    const m = this.map;
    return this.loaded && this.atlas !== null && this.haveSnapshot === true && m.isStyleLoaded() === true
      && (!m.getSource('basemap') || this.marks.tile !== undefined);
  }

  /** Ends the hold (`reason`: ready or timeout): the next frame is the first drawn. */
  release(reason) {
    if (!this.holding) return;
    this.holding = false;
    this.releasedBy = reason;
    clearTimeout(this.holdTimer);
    this.marks.release = performance.now();
    this.map.getCanvas().style.visibility = '';
    this.map.triggerRepaint();
  }

  get draws() {
    return this.tracks.draws;
  }

  onLoad() {
    this.marks.style = performance.now();
    const map = this.map;
    // milsymbol takes 0.2-0.6 s of the main thread here: after the first frame (held) has asked
    // for the first view's tiles, so that MapLibre's worker cuts them meanwhile.
    map.once('render', () => setTimeout(() => this.addSymbols(), 0));
    this.paletteExtras(PALETTES[this.paletteName]);
    this.refreshGraticule();
    this.loaded = true;
    this.touch();
  }

  /** Draws the symbols (atlas, patrol assets) and puts the track layer under the overlays. */
  addSymbols() {
    this.atlas = buildAtlas();
    this.tracks.atlas = this.atlas;
    this.map.addLayer(this.tracks, OVERLAY_FIRST); // the overlays and the palette are in the style
    this.addAssetIcons();
    this.marks.symbols = performance.now();
    this.resolveSymbols(this.atlas);
  }

  /**
   * The first picture is the one an operator can work with: the basemap tiles in view and the
   * rule layers loaded, and tracks drawn. Its time (ms since navigation start) is kept.
   */
  checkFirstPicture() {
    const m = this.map;
    const now = performance.now();
    if (this.tracks.draws > 0 && this.tracks.count > 0) this.marks.tracks ??= now;
    if (!m.getSource('basemap') || (this.marks.tile !== undefined && m.isSourceLoaded('basemap'))) this.marks.basemap ??= now;
    if (m.isSourceLoaded('rules')) this.marks.rules ??= now;
    if (!this.loaded || !this.rulesSet || this.marks.tracks === undefined || this.marks.basemap === undefined || this.marks.rules === undefined) return;
    this.firstPictureMs = now;
  }

  addAssetIcons() {
    const ms = globalThis.ms;
    // Friendly sea-surface law-enforcement vessel and friendly land-equipment vehicle (2525D).
    for (const [name, sidc] of [['asset-vessel', '10033000001403000000'], ['asset-vehicle', '10031500001601000000']]) {
      const c = new ms.Symbol(sidc, { size: 30, civilianColor: false }).asCanvas(1);
      const ctx = c.getContext('2d');
      this.map.addImage(name, ctx.getImageData(0, 0, c.width, c.height));
    }
  }

  /** Marks the overlays (assets, intercept, selection) for a refresh on the next frame. */
  touch() {
    this.overlayVersion++;
  }

  tick(now) {
    if (!this.loaded) return;
    const storeChanged = this.drawnStore !== this.store.version;
    if (this.drawnOverlay !== this.overlayVersion || (storeChanged && now - this.overlayAt > OVERLAY_MS)) {
      this.drawnOverlay = this.overlayVersion;
      this.drawnStore = this.store.version;
      this.overlayAt = now;
      this.refreshOverlays();
    }
    if (this.hasOpenAlerts && now - (this.pulseAt ?? 0) > PULSE_MS && !this.hidden.has('alerts')) {
      this.pulseAt = now;
      const phase = (Math.sin(now / 180) + 1) / 2;
      this.map.setPaintProperty('alerts-halo', 'circle-radius', 14 + 8 * phase);
      this.map.setPaintProperty('alerts-halo', 'circle-stroke-opacity', 0.8 - 0.6 * phase);
    }
  }

  refreshOverlays() {
    // A GeoJSON source re-tiles on every setData: only give it data that changed.
    const src = (id) => ({
      setData: (data) => {
        const text = JSON.stringify(data);
        if (this.sent[id] === text) return;
        this.sent[id] = text;
        this.map.getSource(id)?.setData(data);
      },
    });
    const alerts = [];
    const alertTracks = new Set();
    let open = false;
    for (const a of this.store.alerts.values()) {
      if (!a.geometry?.coordinates) continue;
      const p = a.properties;
      open ||= p.state === 'open';
      if (p.state === 'open' && p.track_id) alertTracks.add(p.track_id);
      alerts.push({ type: 'Feature', geometry: a.geometry, properties: { alert_id: p.alert_id, state: p.state, severity: p.severity, selected: p.alert_id === this.selectedAlert } });
    }
    this.hasOpenAlerts = open;
    this.labels.alertTracks = alertTracks;
    this.labels.selected = this.selectedTrack;
    src('alerts').setData({ type: 'FeatureCollection', features: alerts });
    const incident = this.store.alerts.get(this.selectedAlert) ?? this.store.closedAlerts?.get(this.selectedAlert);
    src('evidence').setData(evidenceFeatures(incident));
    const sel = this.store.tracks.get(this.selectedTrack);
    src('selection').setData(sel ? point(sel.lon, sel.lat) : EMPTY);
    src('assets').setData({
      type: 'FeatureCollection',
      features: this.assets.map((a) => ({
        type: 'Feature', geometry: { type: 'Point', coordinates: [a.lon, a.lat] },
        properties: { name: `${a.name ?? a.id}${a.available === false ? ' (busy)' : ''}`, icon: a.kind === 'vehicle' ? 'asset-vehicle' : 'asset-vessel' },
      })),
    });
    const ic = this.intercept;
    src('intercept').setData(ic ? {
      type: 'FeatureCollection',
      features: [
        line([[ic.asset.lon, ic.asset.lat], [ic.point.lon, ic.point.lat]], { leg: 'asset' }),
        line([[ic.target.lon, ic.target.lat], [ic.point.lon, ic.point.lat]], { leg: 'target' }),
        { type: 'Feature', geometry: { type: 'Point', coordinates: [ic.point.lon, ic.point.lat] }, properties: {} },
      ],
    } : EMPTY);
  }

  refreshGraticule() {
    const b = this.map.getBounds();
    const view = { west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() };
    const source = this.map.getSource('graticule');
    // Lines are made for the view and a view's span around it, and made again only when the
    // view leaves that area or needs another step: each setData re-tiles the source in the
    // worker and places its labels again (panning by small moves, each ending in a moveend, spent
    // 24 of 84 ms of CPU per frame there).
    if (!source || graticuleCovers(this.graticuleCover, view)) return;
    this.graticuleCover = graticuleCover(view);
    source.setData(graticule(this.graticuleCover, undefined, this.graticuleCover.step));
  }

  /** The rule layers (GeoJSON from /api/layers); the first call fits the view to them. */
  setLayers(fc) {
    this.ready.then(() => {
      if (this.rulesSet && this.rulesGiven === fc) return; // in the style already
      this.map.getSource('rules').setData(fc);
      this.rulesSet = true;
      const bbox = bboxOf(fc);
      if (bbox && !this.fitted) {
        this.fitted = true;
        this.map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: 30, duration: 0 });
      }
    });
  }

  /** Centres the map on a point, flying there (zooming in when far out). */
  centreOn(lon, lat, zoom) {
    const z = zoom ?? Math.max(this.map.getZoom(), 10);
    this.map.flyTo({ center: [lon, lat], zoom: z, duration: 800, essential: true });
  }

  /**
   * Selects incident `a` (an alert feature) and flies to it: to its evidence (the timeline's
   * places) when that spreads wider than a few pixels, else to its point.
   */
  showIncident(a) {
    this.selectedAlert = a.properties.alert_id;
    this.touch();
    const bbox = bboxOf(evidenceFeatures(a));
    const [lon, lat] = a.geometry.coordinates;
    if (!bbox || (bbox[2] - bbox[0] < 0.002 && bbox[3] - bbox[1] < 0.002)) {
      this.centreOn(lon, lat);
      return;
    }
    this.map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: 80, maxZoom: 12, duration: 800, essential: true });
  }

  fitBounds(bbox, padding = 30) {
    this.map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding, duration: 0 });
  }

  handleClick(e) {
    if (this.onClick) {
      this.onClick(e.lngLat);
      return;
    }
    const canvas = this.map.getCanvas();
    const id = this.tracks.pick(e.point.x, e.point.y, canvas.clientWidth, canvas.clientHeight);
    if (id !== null) {
      this.onSelectTrack(id);
      return;
    }
    const hit = this.map.queryRenderedFeatures(e.point, { layers: ['alerts-ring'] })[0];
    if (hit) this.onSelectAlert(hit.properties.alert_id);
    else this.onSelectTrack(null);
  }

  /** Shows or hides a toggle group (map_style.js GROUPS, or trails, vectors, labels, tracks). */
  setVisible(group, on) {
    if (on) this.hidden.delete(group);
    else this.hidden.add(group);
    if (group === 'trails' || group === 'vectors') this.tracks.show[group] = on;
    else if (group === 'tracks') this.tracks.show.symbols = on;
    else if (group === 'labels') this.labels.visible = on;
    for (const id of GROUPS[group] ?? []) {
      if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
    }
    this.labels.update(false, true);
    this.map.triggerRepaint();
  }

  /** The colours of palette `name` (tests compare pixels with them). */
  palette(name = this.paletteName) {
    return PALETTES[name];
  }

  applyPalette(name) {
    const p = PALETTES[name];
    if (!p) return;
    this.paletteName = name;
    for (const [id, props] of Object.entries(paletteProps(p))) {
      if (!this.map.getLayer(id)) continue;
      for (const [k, v] of Object.entries(props)) this.map.setPaintProperty(id, k, v);
    }
    this.paletteExtras(p);
    this.map.triggerRepaint();
  }

  /** The palette's colours for what the style does not draw: track vectors, trails, labels. */
  paletteExtras(p) {
    this.tracks.colors = { vector: p.vector, trail: p.trail };
    this.labels.colors = { text: p.label, halo: p.labelHalo };
    if (!this.holding) this.labels.update(false, true);
  }
}

function point(lon, lat, properties = {}) {
  return { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties }] };
}
