// The track symbols drawn once by milsymbol (global `ms`, its prebuilt file loaded as a classic
// script) into one atlas canvas that the GPU samples: every standing x class x dark combination
// has a CELL-pixel cell with the symbol's frame centre at the cell's centre.
import { STANDINGS, CLASSES, sidcFor, symbolIndex, SYMBOL_COUNT } from './sidc.js';

export const CELL = 64; // atlas pixels per cell; symbols are drawn at most ~52 px wide
export const ATLAS_COLS = 8;
const SYMBOL_SIZE = 32; // milsymbol's size option: the icon octagon, frames are wider

/** Stamps a symbol milsymbol drew (its canvas and anchor) into cell `index`, dark-marked if `dark`. */
function placeCell(ctx, index, symbolCanvas, anchor, dark) {
  const col = index % ATLAS_COLS;
  const row = Math.floor(index / ATLAS_COLS);
  const cx = col * CELL + CELL / 2;
  const cy = row * CELL + CELL / 2;
  ctx.drawImage(symbolCanvas, Math.round(cx - anchor.x), Math.round(cy - anchor.y));
  if (dark) {
    // Not in the standard: a black square with a white rim at the top right = no AIS.
    const s = 12;
    const x = col * CELL + CELL - s - 3;
    const y = row * CELL + 3;
    ctx.fillStyle = '#fff';
    ctx.fillRect(x - 1.5, y - 1.5, s + 3, s + 3);
    ctx.fillStyle = '#000';
    ctx.fillRect(x, y, s, s);
  }
}

/** {canvas, cols, rows, cell}: the atlas, index = symbolIndex(standing, class, dark). */
export function buildAtlas() {
  const rows = Math.ceil(SYMBOL_COUNT / ATLAS_COLS);
  const canvas = document.createElement('canvas');
  canvas.width = ATLAS_COLS * CELL;
  canvas.height = rows * CELL;
  const ctx = canvas.getContext('2d');
  for (const standing of STANDINGS) {
    for (const cls of CLASSES) {
      // Drawn once by milsymbol (its cost, 0.2-0.6 s for the set, is on the first picture's
      // path) and stamped twice: plain and dark.
      const sym = new globalThis.ms.Symbol(sidcFor(standing, cls), { size: SYMBOL_SIZE, civilianColor: false });
      const symbolCanvas = sym.asCanvas(1);
      const anchor = sym.getAnchor();
      for (const dark of [false, true]) placeCell(ctx, symbolIndex(standing, cls, dark), symbolCanvas, anchor, dark);
    }
  }
  return { canvas, cols: ATLAS_COLS, rows, cell: CELL };
}

/** One cell of the atlas as a data: URL image (legend). */
export function cellImage(atlas, index, px = 24) {
  const c = document.createElement('canvas');
  c.width = px;
  c.height = px;
  const col = index % atlas.cols;
  const row = Math.floor(index / atlas.cols);
  const m = CELL / 8; // the symbol fills the middle of its cell
  c.getContext('2d').drawImage(atlas.canvas, col * CELL + m, row * CELL + m, CELL - 2 * m, CELL - 2 * m, 0, 0, px, px);
  return c.toDataURL();
}

/** Legend rows: the five standings (on a vessel), the classes (unknown standing), dark. */
export function legendEntries(atlas) {
  const out = STANDINGS.map((s) => ({ label: s, src: cellImage(atlas, symbolIndex(s, 'vessel', false)) }));
  for (const c of CLASSES) {
    if (c !== 'vessel') out.push({ label: `class: ${c.replace('_', ' ')}`, src: cellImage(atlas, symbolIndex('unknown', c, false)) });
  }
  out.push({ label: 'dark (no AIS)', src: cellImage(atlas, symbolIndex('unknown', 'vessel', true)) });
  return out;
}
