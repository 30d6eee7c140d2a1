// Web Mercator view: a centre, a zoom (pixels per radian of longitude, log2), pan and zoom about a
// point. No tiles, so no tile grid: any zoom is allowed.

const DEG = Math.PI / 180;
const MAX_LAT = 85.05112878;

export function mercY(lat) {
  const l = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * DEG;
  return Math.log(Math.tan(Math.PI / 4 + l / 2));
}

export function invMercY(y) {
  return (2 * Math.atan(Math.exp(y)) - Math.PI / 2) / DEG;
}

export class View {
  constructor() {
    this.cx = 125.5 * DEG; // centre x (rad of longitude)
    this.cy = mercY(-9); // centre y (mercator)
    this.scale = 4000; // pixels per mercator unit
    this.width = 800;
    this.height = 600;
    this.version = 0;
  }

  resize(w, h) {
    this.width = w;
    this.height = h;
    this.version++;
  }

  /** Screen x of longitude (deg). */
  x(lon) {
    return (lon * DEG - this.cx) * this.scale + this.width / 2;
  }

  /** Screen y of latitude (deg). */
  y(lat) {
    return (this.cy - mercY(lat)) * this.scale + this.height / 2;
  }

  /** Screen x of a Web Mercator x (rad of longitude). */
  sx(mx) {
    return (mx - this.cx) * this.scale + this.width / 2;
  }

  /** Screen y of a Web Mercator y. */
  sy(my) {
    return (this.cy - my) * this.scale + this.height / 2;
  }

  /** {lon, lat} at screen point. */
  unproject(sx, sy) {
    return {
      lon: ((sx - this.width / 2) / this.scale + this.cx) / DEG,
      lat: invMercY(this.cy - (sy - this.height / 2) / this.scale),
    };
  }

  centreOn(lon, lat) {
    this.cx = lon * DEG;
    this.cy = mercY(lat);
    this.version++;
  }

  panBy(dx, dy) {
    this.cx -= dx / this.scale;
    this.cy += dy / this.scale;
    this.version++;
  }

  /** Zoom by `factor` keeping the geographic point under (sx, sy) fixed. */
  zoomAt(sx, sy, factor) {
    const before = this.unproject(sx, sy);
    this.scale = Math.max(50, Math.min(5e7, this.scale * factor));
    const after = this.unproject(sx, sy);
    this.cx += (before.lon - after.lon) * DEG;
    this.cy += mercY(before.lat) - mercY(after.lat);
    this.version++;
  }

  /** Fit [minLon, minLat, maxLon, maxLat] with a margin. */
  fit(bbox) {
    const [x0, y0, x1, y1] = bbox;
    if (!(x1 > x0) || !(y1 > y0)) return;
    this.cx = ((x0 + x1) / 2) * DEG;
    this.cy = (mercY(y0) + mercY(y1)) / 2;
    const sx = this.width / ((x1 - x0) * DEG);
    const sy = this.height / (mercY(y1) - mercY(y0));
    this.scale = 0.9 * Math.min(sx, sy);
    this.version++;
  }

  /** Metres per pixel at latitude `lat` (for the scale bar). */
  metresPerPixel(lat) {
    return (6371008.8 * Math.cos(lat * DEG)) / this.scale;
  }
}
