// Label placement without overlap: candidates in priority order each try a few positions
// around their symbol (right, left, above, below) and take the first whose box hits no label
// already placed and no other symbol's box nearby; the rest go unlabelled. A uniform grid of
// buckets keeps each test local, so placing is O(candidates) and a screen holds a few hundred.

const CELL = 64;

class BoxGrid {
  constructor(width, height) {
    this.cols = Math.max(1, Math.ceil(width / CELL));
    this.rows = Math.max(1, Math.ceil(height / CELL));
    this.cells = new Array(this.cols * this.rows);
  }

  range(x0, y0, x1, y1, fn) {
    const c0 = Math.max(0, Math.floor(x0 / CELL));
    const c1 = Math.min(this.cols - 1, Math.floor(x1 / CELL));
    const r0 = Math.max(0, Math.floor(y0 / CELL));
    const r1 = Math.min(this.rows - 1, Math.floor(y1 / CELL));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) if (fn(r * this.cols + c) === false) return false;
    }
    return true;
  }

  add(b) {
    this.range(b[0], b[1], b[2], b[3], (i) => {
      (this.cells[i] ??= []).push(b);
    });
  }
}

/**
 * candidates: [{x, y, w, h, ...}] in priority order (first = most important): (x, y) is the
 * symbol's centre on screen, (w, h) the label's size. `symbolRadius` keeps labels off their
 * own symbol; `symbols` (optional [{x, y}], may be the candidates themselves) are the symbols labels should
 * not cover.
 * Returns the placed candidates with box [x0, y0, x1, y1] (the label's top-left is box[0..1]).
 */
export function placeLabels(candidates, width, height, { symbolRadius = 10, max = 400, symbols = [] } = {}) {
  const grid = new BoxGrid(width, height);
  const r = symbolRadius;
  for (const s of symbols) {
    const box = [s.x - r * 0.8, s.y - r * 0.8, s.x + r * 0.8, s.y + r * 0.8];
    box.symbol = s;
    grid.add(box);
  }
  const placed = [];
  for (const c of candidates) {
    if (placed.length >= max) break;
    const { x, y, w, h } = c;
    const tries = [
      [x + r + 2, y - h / 2], // right
      [x - r - 2 - w, y - h / 2], // left
      [x - w / 2, y - r - 2 - h], // above
      [x - w / 2, y + r + 2], // below
    ];
    for (const [bx, by] of tries) {
      if (bx < 0 || by < 0 || bx + w > width || by + h > height) continue;
      const box = [bx, by, bx + w, by + h];
      // Its own symbol's box does not block it (the offsets already keep it clear).
      if (hitsOther(grid, box, c)) continue;
      grid.add(box);
      c.box = box;
      placed.push(c);
      break;
    }
  }
  return placed;
}

function hitsOther(grid, box, c) {
  let hit = false;
  grid.range(box[0], box[1], box[2], box[3], (i) => {
    const list = grid.cells[i];
    if (!list) return true;
    for (const o of list) {
      if (o.symbol !== undefined && o.symbol === c) continue;
      if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) {
        hit = true;
        return false;
      }
    }
    return true;
  });
  return hit;
}

/** True when no two placed boxes overlap (what the tests assert). */
export function overlapFree(placed) {
  for (let i = 0; i < placed.length; i++) {
    const a = placed[i].box;
    for (let j = i + 1; j < placed.length; j++) {
      const b = placed[j].box;
      if (a[0] < b[2] && a[2] > b[0] && a[1] < b[3] && a[3] > b[1]) return false;
    }
  }
  return true;
}
