// The map: land, sea, borders and zones from /api/layers (no tiles: works offline), then trails,
// heading vectors and track symbols on one Canvas 2D, redrawn only when something moved.
import { Store } from './store.js';
import { symbolBitmap, SYMBOL_SIZE } from './symbols.js';
import { View, mercY } from './projection.js';

const HEADING_VECTOR_S = 300; // heading vector shows where the track will be in 5 minutes
// Trail segments per frame, shared among the visible tracks: a software-rendered canvas strokes
// a few tens of thousands of segments per frame comfortably, not 150,000.
const TRAIL_SEGMENT_BUDGET = 25000;
// Full redraws for data changes at most 10 times a second, and less often when a redraw is
// expensive: at most a quarter of the main thread goes to redrawing, the rest to input, panning
// and the feed (a 40 ms redraw with 5,000 tracks on a slow machine -> every 160 ms).
const REDRAW_MS = 100;
const REDRAW_SHARE = 0.25;
const COLOURS = {
  background: '#0d2436', // open water outside every layer
  sea: '#123a55',
  land: '#3b3f2f',
  landEdge: '#6b6f55',
  border: '#ff5050',
  zoneFill: 'rgba(255,170,0,0.12)',
  zoneEdge: '#ffaa00',
  trail: 'rgba(200,220,255,0.35)',
  vector: 'rgba(255,255,255,0.8)',
};

export class MapView {
  constructor(canvas, store) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    // Layers live on their own canvas underneath: redrawn only when the view changes, and the
    // browser composites the two, which is far cheaper than copying pixels between canvases.
    this.layerCanvas = document.createElement('canvas');
    this.layerCanvas.className = 'map-layers';
    canvas.before(this.layerCanvas);
    this.store = store;
    this.view = new View();
    this.layers = [];
    this.layerVersion = -1;
    this.selectedTrack = null;
    this.selectedAlert = null;
    this.assets = [];
    this.intercept = null; // {asset:{lat,lon}, target:{lat,lon}, point:{lat,lon}} or null
    this.onSelectTrack = () => {};
    /** What to draw besides the symbols (the legend's check boxes). */
    this.show = { trails: true, vectors: true, alerts: true };
    this.drawnVersion = -1;
    this.drawnViewVersion = -1;
    this.overlayVersion = 0;
    this.drawnOverlayVersion = -1;
    this.lastPulse = 0;
    this.lastFullDraw = -Infinity;
    this.drawCostMs = 0; // smoothed cost of a full redraw
    this.stale = false;
    this.frameScale = 0;
    this.frames = 0; // rAF callbacks since start (the fluidity measure reads it)
    this.draws = 0;
    this.lastDrawMs = 0;
    this.dpr = window.devicePixelRatio || 1;
    this.installInput();
    new ResizeObserver(() => this.resize()).observe(canvas);
    this.resize();
    const loop = (now) => {
      this.frames++;
      this.maybeDraw(now);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }

  resize() {
    const r = this.canvas.getBoundingClientRect();
    this.dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.max(1, Math.round(r.width * this.dpr));
    this.canvas.height = Math.max(1, Math.round(r.height * this.dpr));
    this.layerCanvas.width = this.canvas.width;
    this.layerCanvas.height = this.canvas.height;
    this.layerVersion = -1;
    this.view.resize(r.width, r.height);
  }

  touch() {
    this.overlayVersion++;
  }

  setLayers(fc) {
    // Project every vertex to Web Mercator once; a frame then only scales and offsets.
    const DEG = Math.PI / 180;
    const proj = (c) => (typeof c[0] === 'number' ? [c[0] * DEG, mercY(c[1])] : c.map(proj));
    this.layers = (fc.features ?? []).filter((f) => f.geometry).map((f) => ({
      properties: f.properties ?? {},
      geometry: { type: f.geometry.type, coordinates: f.geometry.coordinates, merc: proj(f.geometry.coordinates) },
    }));
    this.layerVersion = -1;
    const bbox = [180, 90, -180, -90];
    const grow = (c) => {
      if (typeof c[0] === 'number') {
        bbox[0] = Math.min(bbox[0], c[0]);
        bbox[1] = Math.min(bbox[1], c[1]);
        bbox[2] = Math.max(bbox[2], c[0]);
        bbox[3] = Math.max(bbox[3], c[1]);
      } else c.forEach(grow);
    };
    for (const f of this.layers) if (f.geometry) grow(f.geometry.coordinates);
    if (bbox[2] > bbox[0]) this.view.fit(bbox);
    this.touch();
  }

  centreOn(lon, lat) {
    this.view.centreOn(lon, lat);
  }

  installInput() {
    let drag = null;
    const c = this.canvas;
    c.addEventListener('mousedown', (e) => {
      drag = { x: e.clientX, y: e.clientY, moved: false };
    });
    window.addEventListener('mousemove', (e) => {
      const r = c.getBoundingClientRect();
      this.cursor = this.view.unproject(e.clientX - r.left, e.clientY - r.top);
      if (!drag) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
      if (drag.moved) {
        this.view.panBy(dx, dy);
        drag.x = e.clientX;
        drag.y = e.clientY;
      }
    });
    window.addEventListener('mouseup', (e) => {
      if (drag && !drag.moved && e.target === c) {
        const r = c.getBoundingClientRect();
        this.onSelectTrack(this.hitTest(e.clientX - r.left, e.clientY - r.top));
      }
      drag = null;
    });
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = c.getBoundingClientRect();
      this.view.zoomAt(e.clientX - r.left, e.clientY - r.top, Math.exp(-e.deltaY * 0.0015));
    }, { passive: false });
  }

  /** The track id nearest to a screen point within 12 px, or null. */
  hitTest(sx, sy) {
    let best = null;
    let bestD = 144;
    for (const t of this.store.tracks.values()) {
      const dx = this.view.sx(t.mx) - sx;
      const dy = this.view.sy(t.my) - sy;
      const d = dx * dx + dy * dy;
      if (d < bestD) {
        bestD = d;
        best = t.id;
      }
    }
    return best;
  }

  /**
   * Called on every animation frame. Why not simply redraw on every change: with 5,000 tracks
   * each reporting once a second there is a change every frame, and a software-rendered full
   * redraw costs tens of milliseconds. So data changes redraw at most every REDRAW_MS (tracks
   * move a few pixels per second), and while the operator pans, frames in between move the last
   * full frame with a CSS transform (composited, nearly free) so the map follows the mouse at
   * the display's rate.
   */
  maybeDraw(now) {
    const interval = Math.max(REDRAW_MS, this.drawCostMs / REDRAW_SHARE);
    const pulsing = this.hasOpenAlerts && now - this.lastPulse > interval;
    const viewChanged = this.drawnViewVersion !== this.view.version;
    const dataChanged = this.drawnVersion !== this.store.version ||
      this.drawnOverlayVersion !== this.overlayVersion;
    if (!viewChanged && !dataChanged && !pulsing && !this.stale) return;
    const recent = now - this.lastFullDraw < interval;
    if (recent) {
      if (viewChanged && this.view.scale === this.frameScale) {
        this.shiftFrame();
        this.drawnViewVersion = this.view.version;
        this.stale = true;
      }
      if (!viewChanged || this.view.scale === this.frameScale) return;
    }
    if (pulsing) this.lastPulse = now;
    const t0 = performance.now();
    this.draw(now);
    this.lastDrawMs = performance.now() - t0;
    this.drawCostMs = 0.8 * this.drawCostMs + 0.2 * this.lastDrawMs;
    this.draws++;
    this.lastFullDraw = now;
    this.stale = false;
    this.frameScale = this.view.scale;
    this.frameCx = this.view.cx;
    this.frameCy = this.view.cy;
    this.drawnVersion = this.store.version;
    this.drawnViewVersion = this.view.version;
    this.drawnOverlayVersion = this.overlayVersion;
  }

  /** Moves the last full frame (both canvases) by the pan since it was drawn. */
  shiftFrame() {
    const dx = (this.frameCx - this.view.cx) * this.view.scale;
    const dy = (this.view.cy - this.frameCy) * this.view.scale;
    const t = `translate(${dx.toFixed(1)}px, ${dy.toFixed(1)}px)`;
    this.canvas.style.transform = t;
    this.layerCanvas.style.transform = t;
  }

  drawLayers() {
    const lc = this.layerCanvas;
    if (this.layerVersion === this.view.version) return;
    const ctx = lc.getContext('2d', { alpha: false });
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = COLOURS.background;
    ctx.fillRect(0, 0, this.view.width, this.view.height);
    const v = this.view;
    const ring = (coords) => {
      for (let i = 0; i < coords.length; i++) {
        const x = v.sx(coords[i][0]);
        const y = v.sy(coords[i][1]);
        if (i) ctx.lineTo(x, y);
        else ctx.moveTo(x, y);
      }
    };
    const pathOf = (g) => {
      ctx.beginPath();
      const m = g.merc;
      if (g.type === 'Polygon') m.forEach((r) => { ring(r); ctx.closePath(); });
      else if (g.type === 'MultiPolygon') m.forEach((p) => p.forEach((r) => { ring(r); ctx.closePath(); }));
      else if (g.type === 'LineString') ring(m);
      else if (g.type === 'MultiLineString') m.forEach(ring);
    };
    const byKind = (kind) => this.layers.filter((f) => f.geometry && f.properties?.kind === kind);
    for (const f of byKind('sea')) {
      pathOf(f.geometry);
      ctx.fillStyle = COLOURS.sea;
      ctx.fill('evenodd');
    }
    for (const f of byKind('land')) {
      pathOf(f.geometry);
      ctx.fillStyle = COLOURS.land;
      ctx.fill('evenodd');
      ctx.strokeStyle = COLOURS.landEdge;
      ctx.lineWidth = 1;
      ctx.stroke();
    }
    for (const f of byKind('zone')) {
      pathOf(f.geometry);
      if (f.geometry.type.endsWith('Polygon')) {
        ctx.fillStyle = COLOURS.zoneFill;
        ctx.fill('evenodd');
      }
      ctx.strokeStyle = COLOURS.zoneEdge;
      ctx.setLineDash([6, 4]);
      ctx.lineWidth = 1.5;
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.strokeStyle = COLOURS.border;
    ctx.lineWidth = 2;
    for (const f of byKind('border')) {
      pathOf(f.geometry);
      ctx.stroke();
    }
    ctx.font = '11px sans-serif';
    ctx.fillStyle = '#ffcc66';
    for (const f of byKind('zone')) {
      const c = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0][0] : null;
      if (c && f.properties.name) ctx.fillText(f.properties.name, v.x(c[0]) + 4, v.y(c[1]) - 4);
    }
    this.layerVersion = this.view.version;
  }

  draw(now) {
    this.drawLayers();
    const ctx = this.ctx;
    const v = this.view;
    this.canvas.style.transform = '';
    this.layerCanvas.style.transform = '';
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    const w = v.width;
    const h = v.height;
    const margin = 40;
    const visible = [];
    for (const t of this.store.tracks.values()) {
      const x = v.sx(t.mx);
      const y = v.sy(t.my);
      if (x < -margin || y < -margin || x > w + margin || y > h + margin) continue;
      visible.push(t, x, y);
    }
    // Trails and heading vectors each as a single path: one stroke for all tracks.
    if (this.show.trails) this.drawTrails(ctx, visible);
    const mpp = v.metresPerPixel(v.unproject(w / 2, h / 2).lat);
    if (this.show.vectors) this.drawVectors(ctx, visible, mpp);
    this.drawSymbols(ctx, visible);
    if (this.show.alerts) this.drawAlerts(ctx, now);
    this.drawAssetsAndIntercept(ctx);
    const sel = this.store.tracks.get(this.selectedTrack);
    if (sel) {
      ctx.beginPath();
      ctx.arc(v.sx(sel.mx), v.sy(sel.my), SYMBOL_SIZE * 0.8, 0, 2 * Math.PI);
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 2;
      ctx.stroke();
    }
    this.drawScale(ctx, mpp);
  }

  drawTrails(ctx, visible) {
    const v = this.view;
    const trailPoints = Math.max(2, Math.floor(TRAIL_SEGMENT_BUDGET / Math.max(1, visible.length / 3)));
    ctx.beginPath();
    for (let i = 0; i < visible.length; i += 3) {
      const t = visible[i];
      let first = true;
      Store.eachTrailPoint(t, (mx, my) => {
        if (first) ctx.moveTo(v.sx(mx), v.sy(my));
        else ctx.lineTo(v.sx(mx), v.sy(my));
        first = false;
      }, trailPoints);
      if (!first) ctx.lineTo(visible[i + 1], visible[i + 2]);
    }
    ctx.strokeStyle = COLOURS.trail;
    ctx.lineWidth = 1;
    ctx.stroke();
  }

  drawVectors(ctx, visible, mpp) {
    const v = this.view;
    const w = v.width;
    const h = v.height;
    ctx.beginPath();
    for (let i = 0; i < visible.length; i += 3) {
      const p = visible[i].p;
      const e = p.east_mps ?? 0;
      const n = p.north_mps ?? 0;
      if (e === 0 && n === 0) continue;
      let dx = (e * HEADING_VECTOR_S) / mpp;
      let dy = (-n * HEADING_VECTOR_S) / mpp;
      const len = Math.hypot(dx, dy);
      // At least clear of the symbol, at most a fifth of the screen.
      const want = Math.min(Math.max(len, SYMBOL_SIZE * 0.9), Math.min(w, h) / 5);
      dx *= want / len;
      dy *= want / len;
      ctx.moveTo(visible[i + 1], visible[i + 2]);
      ctx.lineTo(visible[i + 1] + dx, visible[i + 2] + dy);
    }
    ctx.strokeStyle = COLOURS.vector;
    ctx.lineWidth = 1; // hairlines are the rasteriser's fast path
    ctx.stroke();
  }

  /**
   * One drawImage of a cached ImageBitmap per track. Measured against batching the frames into
   * one Path2D per style: the batched path was several times slower to rasterise in software
   * Chromium (one huge many-edged path), the blits stay cheap.
   */
  drawSymbols(ctx, visible) {
    const half = SYMBOL_SIZE / 2;
    for (let i = 0; i < visible.length; i += 3) {
      const p = visible[i].p;
      const bmp = symbolBitmap(p.standing, p.class, p.dark, this.dpr);
      // Whole pixels: no resampling of the cached bitmap.
      ctx.drawImage(bmp, Math.round(visible[i + 1] - half), Math.round(visible[i + 2] - half), SYMBOL_SIZE, SYMBOL_SIZE);
    }
    // Labels only when they can be read.
    if (visible.length / 3 < 150) {
      ctx.font = '10px sans-serif';
      ctx.fillStyle = '#dde';
      for (let i = 0; i < visible.length; i += 3) {
        const p = visible[i].p;
        const text = p.label || p.name || `T${p.track_id}`;
        ctx.fillText(text, visible[i + 1] + half + 2, visible[i + 2] + 3);
      }
    }
  }

  drawAlerts(ctx, now) {
    const v = this.view;
    let open = false;
    for (const a of this.store.alerts.values()) {
      const [lon, lat] = a.geometry?.coordinates ?? [];
      if (lon === undefined) continue;
      const p = a.properties;
      const isOpen = p.state === 'open';
      open ||= isOpen;
      const r = isOpen ? 14 + 4 * Math.sin(now / 150) : 12;
      ctx.beginPath();
      ctx.arc(v.x(lon), v.y(lat), r, 0, 2 * Math.PI);
      ctx.strokeStyle = isOpen ? (p.severity === 'high' || p.severity === 'critical' ? '#ff3030' : '#ffaa30') : '#888';
      ctx.lineWidth = a === this.store.alerts.get(this.selectedAlert) ? 3 : 1.5;
      ctx.stroke();
    }
    this.hasOpenAlerts = open;
  }

  drawAssetsAndIntercept(ctx) {
    const v = this.view;
    ctx.font = '10px sans-serif';
    for (const a of this.assets) {
      const x = v.x(a.lon);
      const y = v.y(a.lat);
      ctx.beginPath();
      ctx.moveTo(x, y - 8);
      ctx.lineTo(x + 7, y + 6);
      ctx.lineTo(x - 7, y + 6);
      ctx.closePath();
      ctx.fillStyle = a.available === false ? '#557' : '#4da3ff';
      ctx.fill();
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 1;
      ctx.stroke();
      ctx.fillStyle = '#9cf';
      ctx.fillText(a.name ?? a.id, x + 9, y + 4);
    }
    const ic = this.intercept;
    if (!ic) return;
    ctx.setLineDash([5, 4]);
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#4da3ff';
    ctx.beginPath();
    ctx.moveTo(v.x(ic.asset.lon), v.y(ic.asset.lat));
    ctx.lineTo(v.x(ic.point.lon), v.y(ic.point.lat));
    ctx.stroke();
    ctx.strokeStyle = '#ff8080';
    ctx.beginPath();
    ctx.moveTo(v.x(ic.target.lon), v.y(ic.target.lat));
    ctx.lineTo(v.x(ic.point.lon), v.y(ic.point.lat));
    ctx.stroke();
    ctx.setLineDash([]);
    const x = v.x(ic.point.lon);
    const y = v.y(ic.point.lat);
    ctx.strokeStyle = '#fff';
    ctx.beginPath();
    ctx.moveTo(x - 7, y - 7);
    ctx.lineTo(x + 7, y + 7);
    ctx.moveTo(x + 7, y - 7);
    ctx.lineTo(x - 7, y + 7);
    ctx.stroke();
  }

  drawScale(ctx, mpp) {
    const target = 120 * mpp;
    const pow = Math.pow(10, Math.floor(Math.log10(target)));
    const nice = [1, 2, 5, 10].map((m) => m * pow).filter((m) => m <= target).pop() ?? pow;
    const px = nice / mpp;
    const x = 12;
    const y = this.view.height - 14;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x, y - 5);
    ctx.lineTo(x, y);
    ctx.lineTo(x + px, y);
    ctx.lineTo(x + px, y - 5);
    ctx.stroke();
    ctx.fillStyle = '#fff';
    ctx.font = '11px sans-serif';
    ctx.fillText(nice >= 1000 ? `${nice / 1000} km` : `${nice} m`, x + px + 6, y);
  }
}
