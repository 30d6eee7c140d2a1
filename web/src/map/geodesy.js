// Range and bearing on the WGS84 ellipsoid (GeographicLib's geodesic, Karney 2013: exact to
// nanometres), and how operators read them: nautical miles, kilometres, degrees true, and
// positions in degrees and decimal minutes. The page loads GeographicLib's prebuilt file as a
// classic script (global `geodesic`); node tests set the same global.

const DEG = Math.PI / 180;

function wgs84() {
  const g = globalThis.geodesic;
  if (!g) throw new Error('GeographicLib (global geodesic) is not loaded');
  return g.Geodesic.WGS84;
}

/** {distance_m, bearing_deg (initial, true, 0..360)} from a to b ({lat, lon} degrees). */
export function rangeBearing(a, b) {
  const r = wgs84().Inverse(a.lat, a.lon, b.lat, b.lon);
  return { distance_m: r.s12, bearing_deg: (r.azi1 + 360) % 360 };
}

/** The same on a sphere of mean radius (haversine): the plain reference the tests compare to. */
export function rangeBearingSphere(a, b, radius = 6371008.8) {
  const p1 = a.lat * DEG;
  const p2 = b.lat * DEG;
  const dl = (b.lon - a.lon) * DEG;
  const h = Math.sin((p2 - p1) / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
  const distance = 2 * radius * Math.asin(Math.min(1, Math.sqrt(h)));
  const y = Math.sin(dl) * Math.cos(p2);
  const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
  return { distance_m: distance, bearing_deg: (Math.atan2(y, x) / DEG + 360) % 360 };
}

/** "12.34 NM 045.2°T (22.86 km)". */
export function formatRangeBearing({ distance_m, bearing_deg }) {
  const nm = distance_m / 1852;
  const km = distance_m / 1000;
  const b = bearing_deg.toFixed(1).padStart(5, '0');
  return `${nm < 10 ? nm.toFixed(2) : nm.toFixed(1)} NM ${b}°T (${km < 10 ? km.toFixed(2) : km.toFixed(1)} km)`;
}

/** One coordinate in degrees and decimal minutes: "08°33.120′S". */
export function degMin(value, pos, neg, degDigits) {
  const a = Math.abs(value);
  let d = Math.floor(a);
  let m = (a - d) * 60;
  if (Number(m.toFixed(3)) >= 60) {
    d += 1;
    m = 0;
  }
  return `${String(d).padStart(degDigits, '0')}°${m.toFixed(3).padStart(6, '0')}′${value < 0 ? neg : pos}`;
}

/** "08°33.120′S 125°34.500′E" for the cursor read-out. */
export function formatPosition(lat, lon) {
  let l = ((lon + 540) % 360) - 180;
  if (l === -180 && lon > 0) l = 180;
  return `${degMin(lat, 'N', 'S', 2)} ${degMin(l, 'E', 'W', 3)}`;
}
