// Small WebGL2 helpers for the map's custom layers: compile and link a program, look up its
// attributes and uniforms.

function compile(gl, type, source) {
  const s = gl.createShader(type);
  gl.shaderSource(s, source);
  gl.compileShader(s);
  if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) {
    throw new Error(`shader: ${gl.getShaderInfoLog(s)}`);
  }
  return s;
}

/** {program, a: {name: location}, u: {name: location}} */
export function makeProgram(gl, vertex, fragment, attributes, uniforms) {
  const program = gl.createProgram();
  gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, vertex));
  gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, fragment));
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
    throw new Error(`program: ${gl.getProgramInfoLog(program)}`);
  }
  const a = {};
  for (const n of attributes) a[n] = gl.getAttribLocation(program, n);
  const u = {};
  for (const n of uniforms) u[n] = gl.getUniformLocation(program, n);
  return { program, a, u };
}

/**
 * The map's matrix for coordinates given relative to `origin` (Web Mercator 0..1): M x T(origin),
 * computed in double precision so that float32 offsets stay exact to centimetres near origin.
 */
export function matrixAt(m, ox, oy, out = new Float32Array(16)) {
  for (let i = 0; i < 16; i++) out[i] = m[i];
  for (let r = 0; r < 4; r++) out[12 + r] = m[r] * ox + m[4 + r] * oy + m[12 + r];
  return out;
}
