// Display formatting: knots and degrees as operators read them.

export const MPS_TO_KN = 3600 / 1852;

export function knots(mps) {
  return mps == null ? '' : (mps * MPS_TO_KN).toFixed(1);
}

export function degrees(d) {
  return d == null ? '' : `${Math.round(d).toString().padStart(3, '0')}°`;
}

/** Seconds between two ISO times, b - a. */
export function secondsBetween(a, b) {
  if (!a || !b) return null;
  return (Date.parse(b) - Date.parse(a)) / 1000;
}

export function shortAge(s) {
  if (s == null || !isFinite(s)) return '';
  if (s < 120) return `${Math.max(0, Math.round(s))}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}

export function duration(s) {
  if (s == null || !isFinite(s)) return '';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.round(s % 60);
  return h ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(sec).padStart(2, '0')}s`;
}

export function latLon(lat, lon) {
  const f = (v, pos, neg) => `${Math.abs(v).toFixed(4)}°${v >= 0 ? pos : neg}`;
  return `${f(lat, 'N', 'S')} ${f(lon, 'E', 'W')}`;
}

/** Identity text: label, else name, else MMSI, else "dark". */
export function identity(p) {
  return p.label || p.name || (p.mmsi ? `MMSI ${p.mmsi}` : p.dark ? 'dark' : '');
}

export function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
