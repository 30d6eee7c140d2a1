// Patrol dispatch: pick an asset (configured, or an AIS-identified friendly track) and a target
// track; show intercept point, course and ETA (target at constant velocity, asset at maximum
// speed), or say that there is none; name the nearest available asset.
import { computeIntercept, nearestAsset } from './intercept.js';
import { degrees, duration, escapeHtml, latLon } from './format.js';

/** Max speed assumed for an own vessel that only AIS tells us about (m/s, ~25 kn). */
const OWN_TRACK_SPEED_MPS = 12.9;

export class PatrolPanel {
  constructor(el, store, map) {
    this.el = el;
    this.store = store;
    this.map = map;
    this.configured = [];
    this.assetId = '';
    this.targetId = null;
    el.addEventListener('change', (e) => {
      if (e.target.name === 'asset') {
        this.assetId = e.target.value;
        this.update();
      }
    });
    setInterval(() => this.update(), 500);
  }

  setAssets(list) {
    this.configured = list;
    this.map.assets = list;
    this.map.touch();
    this.renderSelect();
  }

  setTarget(id) {
    this.targetId = id;
    this.update();
  }

  /** Configured assets plus friendly AIS-identified tracks (own vessels and vehicles). */
  candidates() {
    const own = [];
    for (const t of this.store.tracks.values()) {
      if (t.p.standing === 'friendly' && t.p.mmsi && t.id !== this.targetId) {
        own.push({
          id: `track-${t.id}`, name: t.p.name ?? `MMSI ${t.p.mmsi}`, kind: 'vessel', lat: t.lat, lon: t.lon,
          max_speed_mps: OWN_TRACK_SPEED_MPS, available: true,
        });
      }
    }
    return [...this.configured, ...own];
  }

  renderSelect() {
    const all = this.candidates();
    const sel = this.el.querySelector('select[name="asset"]');
    const opts = all.map((a) => `<option value="${escapeHtml(a.id)}"${a.id === this.assetId ? ' selected' : ''}>${escapeHtml(a.name)} (${escapeHtml(a.kind)}${a.available === false ? ', busy' : ''})</option>`);
    const html = `<option value="">— choose an asset —</option>${opts.join('')}`;
    if (html !== this.selectHtml) {
      sel.innerHTML = html;
      this.selectHtml = html;
    }
  }

  update() {
    if (document.activeElement?.name !== 'asset') this.renderSelect();
    const out = this.el.querySelector('.result');
    const t = this.store.tracks.get(this.targetId);
    if (!t) {
      const hint = '<p class="hint">Select a track, then "Intercept this track".</p>';
      if (this.resultHtml !== hint) out.innerHTML = this.resultHtml = hint;
      if (this.map.intercept) this.setOverlay(null);
      return;
    }
    const target = { lat: t.lat, lon: t.lon, east_mps: t.p.east_mps, north_mps: t.p.north_mps };
    const all = this.candidates();
    const nearest = nearestAsset(all, target);
    const nearestText = nearest
      ? `Nearest available: <b>${escapeHtml(nearest.asset.name)}</b>, ETA ${duration(nearest.result.time_s)}`
      : 'No available asset can intercept.';
    const asset = all.find((a) => a.id === this.assetId);
    let html = `<p>Target: track ${t.id}</p>`;
    if (asset) {
      const r = computeIntercept(asset, target);
      if (r.ok) {
        html += `<p class="intercept-ok" data-eta-s="${r.time_s.toFixed(0)}">${escapeHtml(asset.name)} → intercept at ${latLon(r.point.lat, r.point.lon)}<br>
          course <b>${degrees(r.course_deg)}</b>, ETA <b>${duration(r.time_s)}</b>, ${(r.distance_m / 1852).toFixed(1)} NM at ${(asset.max_speed_mps * 3600 / 1852).toFixed(0)} kn</p>`;
        this.setOverlay({ asset, target, point: r.point });
      } else {
        html += `<p class="intercept-none">${escapeHtml(asset.name)}: ${escapeHtml(r.reason)}</p>`;
        this.setOverlay(null);
      }
    } else if (this.map.intercept) {
      this.setOverlay(null);
    }
    html += `<p>${nearestText}</p>`;
    if (html !== this.resultHtml) {
      out.innerHTML = html;
      this.resultHtml = html;
    }
  }

  setOverlay(o) {
    this.map.intercept = o;
    this.map.touch();
  }
}
