// Tracks drawn by the GPU as a MapLibre custom layer: one draw for every symbol (quads sampling
// the milsymbol atlas), one for the heading vectors, one for the trails. Each track owns a slot
// in a Float32Array that a store update rewrites in place (no per-frame work per track on the
// CPU); a deleted track's slot is refilled by the last one, so the array stays dense and one
// draw call covers it. The array is uploaded as a float texture that the vertex shaders read
// by gl_VertexID (six vertices per symbol, two per vector), not as instanced attributes:
// SwiftShader, the software GPU of a headless or GPU-less browser, runs an instanced draw as
// one draw per instance, and 5,000 instanced symbols cost it about 250 ms a frame.
// Positions are offsets from a fixed origin, so float32 keeps them to centimetres (the world is
// 0..1 in MapLibre's units: float32 alone is metres).
import { makeProgram, matrixAt } from './gl_util.js';
import { unitsPerMetre } from './mercator.js';
import { symbolIndex } from './sidc.js';
import { TRAIL_POINTS } from '../store.js';

// Per track: x, y (offset from origin), vx, vy (units over HEADING_S) | symbol index, 0, 0, 0:
// two RGBA32F texels, ROW tracks per texture row.
const STRIDE = 8;
const ROW = 1024;
const HEADING_S = 300; // the vector shows where the track will be in 5 minutes
// Trail segments drawn per frame, shared among tracks: with 50,000 tracks each gets two or
// three; with 1,000, the whole 30-point history.
const TRAIL_BUDGET = 150000;
const TRAIL_REBUILD_MS = 500;
const TRAIL_MIN_PX = 1.5; // trails shorter than this on screen are not drawn
// Track updates are drawn at most this often: each track reports about once a second, and a
// software GPU (SwiftShader: 120 ms of CPU for an empty 1600x1000 frame) that redrew the whole
// map for every update drew frames back to back, which also kept the main thread from handing
// MapLibre's worker its tiles while the first picture loads. Camera moves draw at once.
const DATA_FRAME_MS = 250;

// The track's two texels, for vertex `gl_VertexID` of a primitive with `per` vertices.
const FETCH = `
uniform highp sampler2D u_data;
vec4 track0;
vec4 track1;
int corner;
void fetchTrack(int per) {
  int i = gl_VertexID / per;
  corner = gl_VertexID - i * per;
  ivec2 at = ivec2((i % ${ROW}) * 2, i / ${ROW});
  track0 = texelFetch(u_data, at, 0);
  track1 = texelFetch(u_data, at + ivec2(1, 0), 0);
}`;
const SYMBOL_VS = `#version 300 es
uniform mat4 u_matrix;
uniform vec2 u_viewport; // drawing buffer pixels
uniform float u_size;    // cell edge in drawing buffer pixels
uniform vec2 u_grid;     // atlas columns, rows
${FETCH}
const vec2 CORNERS[6] = vec2[6](vec2(-1, -1), vec2(1, -1), vec2(-1, 1), vec2(-1, 1), vec2(1, -1), vec2(1, 1));
out vec2 v_uv;
void main() {
  fetchTrack(6);
  vec2 a_corner = CORNERS[corner];
  float a_sym = track1.x;
  vec4 c = u_matrix * vec4(track0.xy, 0.0, 1.0);
  c.xy += a_corner * u_size / u_viewport * c.w;
  gl_Position = c;
  float col = mod(a_sym, u_grid.x);
  float row = floor(a_sym / u_grid.x);
  v_uv = (vec2(col, row) + vec2(a_corner.x, -a_corner.y) * 0.5 + 0.5) / u_grid;
}`;
const SYMBOL_FS = `#version 300 es
precision mediump float;
uniform sampler2D u_atlas;
in vec2 v_uv;
out vec4 color;
void main() {
  color = texture(u_atlas, v_uv);
  if (color.a < 0.02) discard;
}`;
const VECTOR_VS = `#version 300 es
uniform mat4 u_matrix;
uniform vec2 u_viewport;
uniform vec2 u_len; // min, max length in drawing buffer pixels
${FETCH}
void main() {
  fetchTrack(2);
  float a_end = float(corner);
  vec2 a_pos = track0.xy;
  vec2 a_vel = track0.zw;
  vec4 p0 = u_matrix * vec4(a_pos, 0.0, 1.0);
  vec4 p1 = u_matrix * vec4(a_pos + a_vel, 0.0, 1.0);
  vec2 d = (p1.xy / p1.w - p0.xy / p0.w) * u_viewport * 0.5;
  float len = length(d);
  vec2 dir = len > 0.0 ? d / len : vec2(0.0);
  float want = len > 0.0 ? clamp(len, u_len.x, u_len.y) : 0.0;
  gl_Position = vec4(p0.xy / p0.w + a_end * dir * want * 2.0 / u_viewport, 0.0, 1.0);
}`;
const COLOR_FS = `#version 300 es
precision mediump float;
uniform vec4 u_color;
in float v_alpha;
out vec4 color;
void main() { color = u_color * v_alpha; }`;
const VECTOR_FS = COLOR_FS.replace('in float v_alpha;', '').replace('* v_alpha', '');
const TRAIL_VS = `#version 300 es
uniform mat4 u_matrix;
in vec3 a_point; // x, y offset from origin; alpha (age)
out float v_alpha;
void main() {
  gl_Position = u_matrix * vec4(a_point.xy, 0.0, 1.0);
  v_alpha = a_point.z;
}`;

export class TrackLayer {
  /** `atlas`: symbol_atlas.js's, or null until it is drawn; the layer joins the map with it. */
  constructor(store, atlas) {
    this.id = 'tracks';
    this.type = 'custom';
    this.renderingMode = '2d';
    this.store = store;
    this.atlas = atlas;
    this.show = { symbols: true, vectors: true, trails: true };
    this.colors = { vector: [1, 1, 1, 0.85], trail: [0.75, 0.85, 1, 0.55] };
    this.slots = new Map(); // track id -> slot
    this.ids = []; // slot -> track id
    this.inst = new Float32Array(ROW * STRIDE);
    this.origin = null;
    this.uploaded = 0; // track capacity of the GPU data texture
    this.dirty = true;
    this.trailBuiltAt = -Infinity;
    this.trailVertices = 0;
    this.draws = 0;
    this.drawnAt = -Infinity; // performance.now() of the last frame drawn
    this.repaintTimer = null;
    this.matrix = new Float32Array(16);
    this.map = null;
    store.onChange((kind, id) => this.onStoreChange(kind, id));
    this.rebuild();
  }

  onStoreChange(kind, id) {
    if (kind === 'track') this.put(this.store.tracks.get(id));
    else if (kind === 'track.deleted') this.remove(id);
    else if (kind === 'snapshot') this.rebuild();
    else return;
    this.dirty = true;
    this.requestRepaint();
  }

  /** A frame for changed track data, DATA_FRAME_MS after the last one at the earliest. */
  requestRepaint() {
    if (this.repaintTimer || !this.map) return;
    const wait = Math.max(0, this.drawnAt + DATA_FRAME_MS - performance.now());
    this.repaintTimer = setTimeout(() => {
      this.repaintTimer = null;
      this.map.triggerRepaint();
    }, wait);
  }

  rebuild() {
    this.slots.clear();
    this.ids.length = 0;
    for (const t of this.store.tracks.values()) this.put(t);
    this.dirty = true;
    this.trailBuiltAt = -Infinity;
  }

  put(t) {
    if (!t) return;
    let slot = this.slots.get(t.id);
    if (slot === undefined) {
      slot = this.ids.length;
      this.ids.push(t.id);
      this.slots.set(t.id, slot);
      if ((slot + 1) * STRIDE > this.inst.length) {
        const bigger = new Float32Array(this.inst.length * 2);
        bigger.set(this.inst);
        this.inst = bigger;
      }
    }
    const x = t.mx;
    const y = t.my;
    if (!this.origin) this.origin = [x, y];
    const k = unitsPerMetre(t.lat) * HEADING_S;
    const o = slot * STRIDE;
    const a = this.inst;
    a[o] = x - this.origin[0];
    a[o + 1] = y - this.origin[1];
    a[o + 2] = (t.p.east_mps ?? 0) * k;
    a[o + 3] = -(t.p.north_mps ?? 0) * k;
    a[o + 4] = symbolIndex(t.p.standing, t.p.class, t.p.dark);
  }

  remove(id) {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    const last = this.ids.length - 1;
    if (slot !== last) {
      const moved = this.ids[last];
      this.inst.copyWithin(slot * STRIDE, last * STRIDE, (last + 1) * STRIDE);
      this.ids[slot] = moved;
      this.slots.set(moved, slot);
    }
    this.ids.pop();
    this.slots.delete(id);
  }

  get count() {
    return this.ids.length;
  }

  onAdd(map, gl) {
    this.map = map;
    this.gl = gl;
    this.symbolProg = makeProgram(gl, SYMBOL_VS, SYMBOL_FS, [], ['u_matrix', 'u_viewport', 'u_size', 'u_grid', 'u_atlas', 'u_data']);
    this.vectorProg = makeProgram(gl, VECTOR_VS, VECTOR_FS, [], ['u_matrix', 'u_viewport', 'u_len', 'u_color', 'u_data']);
    this.trailProg = makeProgram(gl, TRAIL_VS, COLOR_FS, ['a_point'], ['u_matrix', 'u_color']);
    this.dataTex = null; // made at the first upload, with the store's size
    this.trailBuf = gl.createBuffer();
    this.texture = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, true);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, this.atlas.canvas);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.generateMipmap(gl.TEXTURE_2D);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR_MIPMAP_LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    this.emptyVao = gl.createVertexArray(); // symbols and vectors read no attributes
    this.trailVao = gl.createVertexArray();
    gl.bindVertexArray(this.trailVao);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.trailBuf);
    gl.enableVertexAttribArray(this.trailProg.a.a_point);
    gl.vertexAttribPointer(this.trailProg.a.a_point, 3, gl.FLOAT, false, 12, 0);
    gl.bindVertexArray(null);
  }

  /** Symbol cell edge in CSS pixels at `zoom`: full size close in, smaller at national scale. */
  static symbolPx(zoom) {
    // 16 px cells (~11 px symbols) for a whole archipelago (zoom 4 and out), 36 px (~25 px) from
    // zoom 10 in: small symbols keep a national picture readable, and cheap to rasterise.
    const t = Math.max(0, Math.min(1, (zoom - 4) / 6));
    return 16 + t * 20;
  }

  /** The slots into the data texture (texture unit 1): rows of ROW tracks, whole rows. */
  upload(gl) {
    const n = this.count;
    const capacity = this.inst.length / STRIDE;
    gl.activeTexture(gl.TEXTURE1);
    if (this.uploaded !== capacity) {
      if (this.dataTex) gl.deleteTexture(this.dataTex);
      this.dataTex = gl.createTexture();
      gl.bindTexture(gl.TEXTURE_2D, this.dataTex);
      gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA32F, ROW * 2, capacity / ROW);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
      this.uploaded = capacity;
    } else gl.bindTexture(gl.TEXTURE_2D, this.dataTex);
    const rows = Math.ceil(n / ROW);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
    if (rows) gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, ROW * 2, rows, gl.RGBA, gl.FLOAT, this.inst, 0);
    gl.activeTexture(gl.TEXTURE0);
    this.dirty = false;
  }

  /**
   * Trail vertices (pairs of points = segments) for every track, within TRAIL_BUDGET. A trail
   * that spans less than a pixel at `zoom` is left out: at national scale a 30-point history is
   * a few hundred metres, well under a pixel, and drawing it costs a software GPU as much as
   * the symbols.
   */
  buildTrails(gl, zoom) {
    const tracks = this.store.tracks;
    const per = Math.max(1, Math.min(TRAIL_POINTS - 1, Math.floor(TRAIL_BUDGET / Math.max(1, tracks.size))));
    const out = new Float32Array(tracks.size * per * 6);
    const [ox, oy] = this.origin ?? [0, 0];
    const minExtent = TRAIL_MIN_PX / (512 * 2 ** zoom); // world units of TRAIL_MIN_PX pixels
    let v = 0;
    for (const t of tracks.values()) {
      const n = Math.min(t.n, per + 1);
      if (n < 2) continue;
      const start = (t.head - n + TRAIL_POINTS) % TRAIL_POINTS;
      if (!spansAtLeast(t.trail, start, n, minExtent)) continue;
      let px = 0;
      let py = 0;
      for (let i = 0; i < n; i++) {
        const k = ((start + i) % TRAIL_POINTS) * 2;
        const x = t.trail[k] - ox;
        const y = t.trail[k + 1] - oy;
        if (i > 0) {
          out[v++] = px; out[v++] = py; out[v++] = (i - 1) / (n - 1);
          out[v++] = x; out[v++] = y; out[v++] = i / (n - 1);
        }
        px = x;
        py = y;
      }
    }
    gl.bindBuffer(gl.ARRAY_BUFFER, this.trailBuf);
    gl.bufferData(gl.ARRAY_BUFFER, out.subarray(0, v), gl.DYNAMIC_DRAW);
    this.trailVertices = v / 3;
    this.trailZoom = zoom;
  }

  render(gl, args) {
    if (!this.origin || !this.count) return;
    const m = matrixAt(args.defaultProjectionData.mainMatrix, this.origin[0], this.origin[1], this.matrix);
    if (this.dirty || this.uploaded !== this.inst.length / STRIDE) this.upload(gl);
    const now = performance.now();
    const viewport = [gl.drawingBufferWidth, gl.drawingBufferHeight];
    const dpr = window.devicePixelRatio || 1;
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.disable(gl.DEPTH_TEST);
    gl.disable(gl.STENCIL_TEST);
    if (this.show.trails) {
      const zoom = this.map.getZoom();
      if (now - this.trailBuiltAt > TRAIL_REBUILD_MS || Math.abs(zoom - this.trailZoom) > 0.5) {
        this.buildTrails(gl, zoom);
        this.trailBuiltAt = now;
      }
      const p = this.trailProg;
      gl.useProgram(p.program);
      gl.uniformMatrix4fv(p.u.u_matrix, false, m);
      gl.uniform4fv(p.u.u_color, this.colors.trail);
      gl.bindVertexArray(this.trailVao);
      gl.drawArrays(gl.LINES, 0, this.trailVertices);
    }
    if (this.show.vectors) {
      const p = this.vectorProg;
      gl.useProgram(p.program);
      gl.uniformMatrix4fv(p.u.u_matrix, false, m);
      gl.uniform2fv(p.u.u_viewport, viewport);
      const size = TrackLayer.symbolPx(this.map.getZoom());
      // At least out of the symbol by 10 px, at most a fifth of the screen.
      gl.uniform2f(p.u.u_len, (size * 0.4 + 10) * dpr, Math.min(viewport[0], viewport[1]) / 5);
      gl.uniform4fv(p.u.u_color, this.colors.vector);
      this.bindData(gl, p);
      gl.drawArrays(gl.LINES, 0, 2 * this.count);
    }
    if (this.show.symbols) {
      const p = this.symbolProg;
      gl.useProgram(p.program);
      gl.uniformMatrix4fv(p.u.u_matrix, false, m);
      gl.uniform2fv(p.u.u_viewport, viewport);
      gl.uniform1f(p.u.u_size, TrackLayer.symbolPx(this.map.getZoom()) * dpr);
      gl.uniform2f(p.u.u_grid, this.atlas.cols, this.atlas.rows);
      gl.activeTexture(gl.TEXTURE0);
      gl.bindTexture(gl.TEXTURE_2D, this.texture);
      gl.uniform1i(p.u.u_atlas, 0);
      this.bindData(gl, p);
      gl.drawArrays(gl.TRIANGLES, 0, 6 * this.count);
    }
    gl.bindVertexArray(null);
    this.draws++;
    this.drawnAt = performance.now();
  }

  bindData(gl, p) {
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.dataTex);
    gl.uniform1i(p.u.u_data, 1);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindVertexArray(this.emptyVao);
  }

  /**
   * Screen positions (CSS pixels) of every track with the last frame's matrix: calls
   * fn(id, x, y, slot) for those within `margin` of the screen.
   */
  eachOnScreen(width, height, margin, fn) {
    if (!this.origin) return;
    const m = this.matrix;
    const a = this.inst;
    for (let s = 0; s < this.ids.length; s++) {
      const x = a[s * STRIDE];
      const y = a[s * STRIDE + 1];
      const w = m[3] * x + m[7] * y + m[15];
      const sx = ((m[0] * x + m[4] * y + m[12]) / w + 1) * 0.5 * width;
      const sy = (1 - (m[1] * x + m[5] * y + m[13]) / w) * 0.5 * height;
      if (sx < -margin || sy < -margin || sx > width + margin || sy > height + margin) continue;
      fn(this.ids[s], sx, sy, s);
    }
  }

  /** The track id nearest to the CSS pixel (x, y) within `radius`, or null. */
  pick(x, y, width, height, radius = 14) {
    let best = null;
    let bestD = radius * radius;
    this.eachOnScreen(width, height, radius, (id, sx, sy) => {
      const d = (sx - x) ** 2 + (sy - y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = id;
      }
    });
    return best;
  }

  onRemove(map, gl) {
    gl.deleteBuffer(this.trailBuf);
    for (const t of [this.texture, this.dataTex]) if (t) gl.deleteTexture(t);
    for (const v of [this.emptyVao, this.trailVao]) gl.deleteVertexArray(v);
  }
}

/** True when the n trail points from ring slot `start` span at least `extent` in x or y. */
export function spansAtLeast(trail, start, n, extent) {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const k = ((start + i) % TRAIL_POINTS) * 2;
    x0 = Math.min(x0, trail[k]);
    x1 = Math.max(x1, trail[k]);
    y0 = Math.min(y0, trail[k + 1]);
    y1 = Math.max(y1, trail[k + 1]);
    if (x1 - x0 >= extent || y1 - y0 >= extent) return true;
  }
  return false;
}
