// Tracks drawn by the GPU as a MapLibre custom layer: one instanced draw for every symbol (a
// quad sampling the milsymbol atlas), one for the heading vectors, one for the trails. Each
// track owns a slot in a Float32Array that a store update rewrites in place (no per-frame work
// per track on the CPU); a deleted track's slot is refilled by the last one, so the arrays stay
// dense and one draw call covers them. Positions are offsets from a fixed origin, so float32
// keeps them to centimetres (the world is 0..1 in MapLibre's units: float32 alone is metres).
import { makeProgram, matrixAt } from './gl_util.js';
import { unitsPerMetre } from './mercator.js';
import { symbolIndex } from './sidc.js';
import { TRAIL_POINTS } from '../store.js';

const STRIDE = 5; // x, y (offset from origin), vx, vy (units over HEADING_S), symbol index
const HEADING_S = 300; // the vector shows where the track will be in 5 minutes
// Trail segments drawn per frame, shared among tracks: with 50,000 tracks each gets two or
// three; with 1,000, the whole 30-point history.
const TRAIL_BUDGET = 150000;
const TRAIL_REBUILD_MS = 500;

const SYMBOL_VS = `#version 300 es
uniform mat4 u_matrix;
uniform vec2 u_viewport; // drawing buffer pixels
uniform float u_size;    // cell edge in drawing buffer pixels
uniform vec2 u_grid;     // atlas columns, rows
in vec2 a_corner;
in vec2 a_pos;
in float a_sym;
out vec2 v_uv;
void main() {
  vec4 c = u_matrix * vec4(a_pos, 0.0, 1.0);
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
in float a_end;
in vec2 a_pos;
in vec2 a_vel;
void main() {
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
    this.inst = new Float32Array(1024 * STRIDE);
    this.origin = null;
    this.uploaded = 0; // instance capacity of the GPU buffer
    this.dirty = true;
    this.trailBuiltAt = -Infinity;
    this.trailVertices = 0;
    this.draws = 0;
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
    this.map?.triggerRepaint();
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
    this.symbolProg = makeProgram(gl, SYMBOL_VS, SYMBOL_FS, ['a_corner', 'a_pos', 'a_sym'], ['u_matrix', 'u_viewport', 'u_size', 'u_grid', 'u_atlas']);
    this.vectorProg = makeProgram(gl, VECTOR_VS, VECTOR_FS, ['a_end', 'a_pos', 'a_vel'], ['u_matrix', 'u_viewport', 'u_len', 'u_color']);
    this.trailProg = makeProgram(gl, TRAIL_VS, COLOR_FS, ['a_point'], ['u_matrix', 'u_color']);
    this.cornerBuf = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, this.cornerBuf);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
    this.endBuf = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, this.endBuf);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([0, 1]), gl.STATIC_DRAW);
    this.instBuf = gl.createBuffer();
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
    this.symbolVao = this.makeInstancedVao(gl, this.symbolProg, this.cornerBuf, 'a_corner', 2);
    this.vectorVao = this.makeInstancedVao(gl, this.vectorProg, this.endBuf, 'a_end', 1);
    this.trailVao = gl.createVertexArray();
    gl.bindVertexArray(this.trailVao);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.trailBuf);
    gl.enableVertexAttribArray(this.trailProg.a.a_point);
    gl.vertexAttribPointer(this.trailProg.a.a_point, 3, gl.FLOAT, false, 12, 0);
    gl.bindVertexArray(null);
  }

  makeInstancedVao(gl, prog, baseBuf, baseAttr, baseSize) {
    const vao = gl.createVertexArray();
    gl.bindVertexArray(vao);
    gl.bindBuffer(gl.ARRAY_BUFFER, baseBuf);
    gl.enableVertexAttribArray(prog.a[baseAttr]);
    gl.vertexAttribPointer(prog.a[baseAttr], baseSize, gl.FLOAT, false, 0, 0);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.instBuf);
    const inst = (name, size, offset) => {
      const loc = prog.a[name];
      if (loc === undefined || loc < 0) return; // not in this program
      gl.enableVertexAttribArray(loc);
      gl.vertexAttribPointer(loc, size, gl.FLOAT, false, STRIDE * 4, offset * 4);
      gl.vertexAttribDivisor(loc, 1);
    };
    inst('a_pos', 2, 0);
    inst('a_vel', 2, 2);
    inst('a_sym', 1, 4);
    gl.bindVertexArray(null);
    return vao;
  }

  /** Symbol cell edge in CSS pixels at `zoom`: full size close in, smaller at national scale. */
  static symbolPx(zoom) {
    // 16 px cells (~11 px symbols) for a whole archipelago (zoom 4 and out), 36 px (~25 px) from
    // zoom 10 in: small symbols keep a national picture readable, and cheap to rasterise.
    const t = Math.max(0, Math.min(1, (zoom - 4) / 6));
    return 16 + t * 20;
  }

  upload(gl) {
    const n = this.count;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.instBuf);
    if (this.uploaded < n || this.uploaded !== this.inst.length / STRIDE) {
      gl.bufferData(gl.ARRAY_BUFFER, this.inst.byteLength, gl.DYNAMIC_DRAW);
      this.uploaded = this.inst.length / STRIDE;
    }
    if (n) gl.bufferSubData(gl.ARRAY_BUFFER, 0, this.inst, 0, n * STRIDE);
    this.dirty = false;
  }

  /** Trail vertices (pairs of points = segments) for every track, within TRAIL_BUDGET. */
  buildTrails(gl) {
    const tracks = this.store.tracks;
    const per = Math.max(1, Math.min(TRAIL_POINTS - 1, Math.floor(TRAIL_BUDGET / Math.max(1, tracks.size))));
    const out = new Float32Array(tracks.size * per * 6);
    const [ox, oy] = this.origin ?? [0, 0];
    let v = 0;
    for (const t of tracks.values()) {
      const n = Math.min(t.n, per + 1);
      if (n < 2) continue;
      const start = (t.head - n + TRAIL_POINTS) % TRAIL_POINTS;
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
  }

  render(gl, args) {
    if (!this.origin || !this.count) return;
    const m = matrixAt(args.defaultProjectionData.mainMatrix, this.origin[0], this.origin[1], this.matrix);
    if (this.dirty || this.uploaded < this.count) this.upload(gl);
    const now = performance.now();
    const viewport = [gl.drawingBufferWidth, gl.drawingBufferHeight];
    const dpr = window.devicePixelRatio || 1;
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.disable(gl.DEPTH_TEST);
    gl.disable(gl.STENCIL_TEST);
    if (this.show.trails) {
      if (now - this.trailBuiltAt > TRAIL_REBUILD_MS) {
        this.buildTrails(gl);
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
      gl.bindVertexArray(this.vectorVao);
      gl.drawArraysInstanced(gl.LINES, 0, 2, this.count);
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
      gl.bindVertexArray(this.symbolVao);
      gl.drawArraysInstanced(gl.TRIANGLE_STRIP, 0, 4, this.count);
    }
    gl.bindVertexArray(null);
    this.draws++;
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
    for (const b of [this.cornerBuf, this.endBuf, this.instBuf, this.trailBuf]) gl.deleteBuffer(b);
    gl.deleteTexture(this.texture);
    for (const v of [this.symbolVao, this.vectorVao, this.trailVao]) gl.deleteVertexArray(v);
  }
}
