// Track symbols in the spirit of APP-6 / MIL-STD-2525 frames, drawn once per kind into small
// bitmaps and stamped with drawImage (5,000 tracks per frame are cheap that way).
//   frame shape + fill by standing: friendly = blue circle, hostile = red diamond,
//   suspect = orange diamond, neutral = green square, unknown = yellow quatrefoil;
//   glyph inside by class; dark targets (no AIS) get a thick black frame and a black corner mark.

export const STANDING_COLOUR = {
  friendly: '#80e0ff',
  hostile: '#ff8080',
  suspect: '#ffc080',
  neutral: '#aaffaa',
  unknown: '#ffff80',
};

export const CLASS_GLYPH = {
  vessel: 'S',
  fast_boat: 'FB',
  person: 'P',
  vehicle: 'V',
  aircraft: 'A',
  unknown: '?',
};

export const SYMBOL_SIZE = 22; // CSS pixels

const cache = new Map();

function framePath(ctx, standing, c, r) {
  ctx.beginPath();
  framePathAt(ctx, standing, c, c, r);
}

/** Adds the frame of `standing` centred at (x, y), radius r, to a path (Path2D or context). */
export function framePathAt(ctx, standing, x, y, r) {
  if (standing === 'friendly') {
    ctx.moveTo(x + r, y);
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  } else if (standing === 'hostile' || standing === 'suspect') {
    ctx.moveTo(x, y - r * 1.15);
    ctx.lineTo(x + r * 1.15, y);
    ctx.lineTo(x, y + r * 1.15);
    ctx.lineTo(x - r * 1.15, y);
    ctx.closePath();
  } else if (standing === 'neutral') {
    ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
  } else {
    const q = r * 0.5;
    ctx.moveTo(x - q, y - q);
    ctx.arc(x, y - q, q, Math.PI, 0);
    ctx.arc(x + q, y, q, -Math.PI / 2, Math.PI / 2);
    ctx.arc(x, y + q, q, 0, Math.PI);
    ctx.arc(x - q, y, q, Math.PI / 2, (3 * Math.PI) / 2);
    ctx.closePath();
  }
}

/**
 * The symbol as an image `SYMBOL_SIZE * dpr` pixels square, centred: a canvas at first, an
 * ImageBitmap once it has been converted.
 */
export function symbolBitmap(standing, cls, dark, dpr = 1) {
  const key = `${standing}|${cls}|${dark ? 1 : 0}|${dpr}`;
  const cached = cache.get(key);
  if (cached) return cached;
  return drawSymbol(key, standing, cls, dark, dpr);
}

function drawSymbol(key, standing, cls, dark, dpr) {
  let bmp;
  const px = Math.round(SYMBOL_SIZE * dpr);
  bmp = document.createElement('canvas');
  bmp.width = px;
  bmp.height = px;
  const ctx = bmp.getContext('2d');
  const c = px / 2;
  const r = px * 0.36;
  framePath(ctx, standing, c, r);
  ctx.fillStyle = STANDING_COLOUR[standing] ?? STANDING_COLOUR.unknown;
  ctx.fill();
  ctx.lineWidth = (dark ? 2.5 : 1.2) * dpr;
  ctx.strokeStyle = '#000';
  ctx.stroke();
  const glyph = CLASS_GLYPH[cls] ?? '?';
  ctx.fillStyle = '#000';
  ctx.font = `bold ${Math.round((glyph.length > 1 ? 7 : 9) * dpr)}px sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(glyph, c, c + 0.5 * dpr);
  if (dark) {
    ctx.fillRect(px - 6 * dpr, 0, 6 * dpr, 6 * dpr);
  }
  cache.set(key, bmp);
  // Drawing a canvas into a canvas snapshots the source on every call in Chromium; an
  // ImageBitmap is ready to blit. Swap it in as soon as it exists.
  if (typeof createImageBitmap === 'function') {
    createImageBitmap(bmp).then((image) => cache.set(key, image), () => {});
  }
  return bmp;
}

/** A small legend (HTML) listing the symbol set, for the map's key panel. */
export function legendEntries() {
  const out = [];
  for (const standing of Object.keys(STANDING_COLOUR)) {
    out.push({ label: standing, bmp: drawSymbol(`legend|${standing}`, standing, 'unknown', false, 1) });
  }
  out.push({ label: 'dark (no AIS)', bmp: drawSymbol('legend|dark', 'unknown', 'vessel', true, 1) });
  return out;
}
