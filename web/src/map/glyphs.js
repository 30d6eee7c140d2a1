// Text for the map's labels without fetching a font: MapLibre asks for glyph ranges through the
// style's "glyphs" URL; this protocol answers them by drawing each character with the browser's
// own sans-serif font into a signed distance field (TinySDF, as MapLibre itself does for CJK)
// and encoding the range as the protobuf MapLibre expects. No request leaves the page.
import TinySDF from '../../node_modules/@mapbox/tiny-sdf/index.js';
import { encodeGlyphs } from './glyph_pbf.js';

export const GLYPH_URL = 'picket-glyphs://{fontstack}/{range}';
export const FONT_REGULAR = 'picket-sans';
export const FONT_BOLD = 'picket-sans-bold';

// MapLibre's glyph metrics are for a 24 px font with a 3 px border; 27 is its ascender offset
// (the same constants its own local-glyph path uses).
const SIZE = 24;
const BUFFER = 3;
const ASCENT = 27;
const sdfs = new Map();
const ranges = new Map(); // "stack/range" -> protobuf bytes, drawn once per page

function sdfFor(stack) {
  let sdf = sdfs.get(stack);
  if (!sdf) {
    sdf = new TinySDF({
      fontSize: SIZE, buffer: BUFFER, radius: 8, cutoff: 0.25,
      fontFamily: 'DejaVu Sans, Arial, Helvetica, sans-serif',
      fontWeight: stack.includes('bold') ? 'bold' : 'normal',
    });
    sdfs.set(stack, sdf);
  }
  return sdf;
}

/** The glyph range "start-end" of `stack` as protobuf bytes. */
export function glyphRange(stack, range) {
  const [start, end] = range.split('-').map(Number);
  const sdf = sdfFor(stack);
  const glyphs = [];
  for (let id = start; id <= end; id++) {
    if (id < 32 || (id >= 127 && id < 160)) continue; // control characters have no shape
    const c = sdf.draw(String.fromCharCode(id));
    const empty = !(c.glyphWidth > 0 && c.glyphHeight > 0); // a space: advance only
    glyphs.push({
      id,
      bitmap: empty ? null : c.data,
      width: empty ? 0 : c.glyphWidth,
      height: empty ? 0 : c.glyphHeight,
      left: Math.round(c.glyphLeft),
      top: Math.round(c.glyphTop - ASCENT),
      advance: Math.round(c.glyphAdvance),
    });
  }
  return encodeGlyphs(stack, range, glyphs);
}

function cachedRange(stack, range) {
  const key = `${stack}/${range}`;
  let bytes = ranges.get(key);
  if (!bytes) {
    bytes = glyphRange(stack, range);
    ranges.set(key, bytes);
  }
  return bytes;
}

/**
 * Draws the Latin range of both fonts ahead, one font per task, while the page waits for
 * MapLibre's worker to fetch and cut the first tiles: the worker asks for glyphs only once a
 * tile's fills are laid out, and drawing them then (0.3-0.7 s on the main thread here) held
 * every labelled tile of the first view back by that long (bench/web first picture).
 */
export function prepareGlyphs() {
  for (const stack of [FONT_REGULAR, FONT_BOLD]) setTimeout(() => cachedRange(stack, '0-255'), 0);
}

/** Registers the protocol with `maplibregl` (once). */
export function installGlyphProtocol(maplibregl) {
  maplibregl.addProtocol('picket-glyphs', async (params) => {
    const m = /^picket-glyphs:\/\/([^/]+)\/(\d+-\d+)/.exec(params.url);
    if (!m) throw new Error(`bad glyph url ${params.url}`);
    const stack = decodeURIComponent(m[1]).split(',')[0].trim();
    // A copy: MapLibre may transfer the buffer to its worker, which would empty the cached one.
    return { data: cachedRange(stack, m[2]).slice().buffer };
  });
}
