// Track labels on a 2D canvas over the map, decluttered: the tracks on screen are taken in
// priority order (selected, then those with an open alert, then by standing: hostile, suspect,
// unknown, neutral, friendly; labels shown last time before others so they do not flicker) and
// each gets a label only where it overlaps no other label or symbol (declutter.js). Redrawn
// with the map's frames while the camera moves, else at most LABEL_MS apart.
import { placeLabels } from './declutter.js';

const LABEL_MS = 200;
const FONT = '11px DejaVu Sans, Arial, sans-serif';
const LINE_H = 13;
const STANDING_RANK = { hostile: 2, suspect: 3, unknown: 4, neutral: 5, friendly: 6 };
const BUCKETS = 8;
/** Above this many symbols on screen, symbols are not obstacles (the screen is full anyway). */
const MAX_OBSTACLES = 4000;

export class TrackLabels {
  constructor(canvas, store, layer) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.store = store;
    this.layer = layer;
    this.visible = true;
    this.selected = null;
    this.alertTracks = new Set();
    this.colors = { text: '#dbe6f0', halo: 'rgba(0,0,0,0.8)' };
    this.widths = new Map();
    this.placed = [];
    this.shown = new Set(); // ids labelled in the last pass
    this.drawnAt = -Infinity;
    this.candidates = 0;
  }

  width(text) {
    let w = this.widths.get(text);
    if (w === undefined) {
      if (this.widths.size > 20000) this.widths.clear();
      w = Math.ceil(this.ctx.measureText(text).width) + 4;
      this.widths.set(text, w);
    }
    return w;
  }

  /** Label, else AIS name, else MMSI, else the track number ("dark" says nothing on a map). */
  text(t) {
    const p = t.p;
    return p.label || p.name || (p.mmsi ? `MMSI ${p.mmsi}` : `T${t.id}`);
  }

  /** Called after every map frame; `moving` when the camera changed since the last one. */
  update(moving, force = false) {
    const now = performance.now();
    if (!force && !moving && now - this.drawnAt < LABEL_MS) return;
    this.drawnAt = now;
    const dpr = window.devicePixelRatio || 1;
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (!this.visible) {
      this.placed = [];
      return;
    }
    ctx.font = FONT;
    // Counting sort into priority buckets: O(n) and no object per track, so 50,000 tracks on
    // screen cost a few milliseconds; objects only for the candidates that can be placed.
    const n = this.layer.count;
    if (!this.xs || this.xs.length < n) {
      this.xs = new Float32Array(n * 2);
      this.ys = new Float32Array(n * 2);
      this.order = new Int32Array(n * 2);
      this.rank = new Uint8Array(n * 2);
      this.idOf = new Float64Array(n * 2);
    }
    const { xs, ys, order, rank, idOf } = this;
    const counts = new Int32Array(BUCKETS + 1);
    const tracks = this.store.tracks;
    let k = 0;
    this.layer.eachOnScreen(w, h, 0, (id, x, y) => {
      const t = tracks.get(id);
      if (!t) return;
      let r = id === this.selected ? 0 : this.alertTracks.has(id) ? 1 : STANDING_RANK[t.p.standing] ?? 4;
      if (r > 1 && this.shown.has(id)) r -= 1; // keep what was shown: no flicker
      r = Math.min(BUCKETS - 1, r);
      xs[k] = x;
      ys[k] = y;
      idOf[k] = id;
      rank[k] = r;
      counts[r + 1]++;
      k++;
    });
    for (let r = 0; r < BUCKETS; r++) counts[r + 1] += counts[r];
    for (let i = 0; i < k; i++) order[counts[rank[i]]++] = i;
    this.candidates = k;
    // Text widths only for candidates that could be placed: a full screen takes a few hundred.
    const cands = [];
    for (let j = 0; j < Math.min(k, 3000); j++) {
      const i = order[j];
      const t = tracks.get(idOf[i]);
      const text = this.text(t);
      cands.push({ id: idOf[i], x: xs[i], y: ys[i], text, w: this.width(text), h: LINE_H });
    }
    // Other symbols are obstacles too, unless the screen is full of them anyway.
    let symbols = cands;
    if (k <= MAX_OBSTACLES && k > cands.length) {
      symbols = cands.slice();
      for (let j = cands.length; j < k; j++) symbols.push({ x: xs[order[j]], y: ys[order[j]] });
    } else if (k > MAX_OBSTACLES) symbols = [];
    const radius = this.layer.symbolRadiusPx ?? 12;
    this.placed = placeLabels(cands, w, h, { symbolRadius: radius, symbols });
    this.shown = new Set(this.placed.map((c) => c.id));
    ctx.textBaseline = 'top';
    ctx.lineWidth = 3;
    ctx.lineJoin = 'round';
    ctx.strokeStyle = this.colors.halo;
    ctx.fillStyle = this.colors.text;
    for (const c of this.placed) ctx.strokeText(c.text, c.box[0] + 2, c.box[1] + 1);
    for (const c of this.placed) ctx.fillText(c.text, c.box[0] + 2, c.box[1] + 1);
  }

  clear() {
    this.placed = [];
    this.update(false, true);
  }
}
