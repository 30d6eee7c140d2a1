// The detail panel of the selected track, with the operator commands that act on one track:
// standing, class, label, mute its alerts. An alert selected in the queue that has no track to
// show (a detection alert, or its track is gone) shows the alert itself instead.
import { knots, degrees, identity, escapeHtml, latLon, secondsBetween, duration } from './format.js';
import { alertDetailHtml } from './alert_detail.js';

const STANDINGS = ['unknown', 'friendly', 'neutral', 'suspect', 'hostile'];
const CLASSES = ['unknown', 'vessel', 'fast_boat', 'person', 'vehicle', 'aircraft'];

export class TrackDetail {
  constructor(el, store, { onCommand, onTarget }) {
    this.el = el;
    this.store = store;
    this.onCommand = onCommand;
    this.onTarget = onTarget;
    this.trackId = null;
    this.alertId = null;
    this.renderedVersion = -1;
    el.addEventListener('click', (e) => {
      const action = e.target.dataset.action;
      if (!action || this.trackId === null) return;
      const id = this.trackId;
      const val = (name) => el.querySelector(`[name="${name}"]`).value;
      if (action === 'standing') this.onCommand({ cmd: 'standing', track_id: id, standing: val('standing') });
      if (action === 'class') this.onCommand({ cmd: 'class', track_id: id, class: val('class') });
      if (action === 'label') this.onCommand({ cmd: 'label', track_id: id, label: val('label') });
      if (action === 'mute') this.onCommand({ cmd: 'mute', track_id: id, seconds: Number(val('mute')) * 60 });
      if (action === 'target') this.onTarget(id);
    });
    setInterval(() => this.render(false), 500);
  }

  /** Shows track `id` (null or 0: none); `alertId` is the alert it was selected from, if any. */
  show(id, alertId = null) {
    this.trackId = id || null;
    this.alertId = alertId;
    this.render(true);
  }

  render(force) {
    const t = this.trackId === null ? undefined : this.store.tracks.get(this.trackId);
    if (!t) {
      const a = this.alertId === null ? undefined : this.store.alerts.get(this.alertId);
      const html = a ? alertDetailHtml(a)
        : this.trackId !== null ? `<p class="hint">Track ${this.trackId} is gone.</p>`
          : '<p class="hint">Select a track on the map or in the table.</p>';
      // Re-rendered twice a second: leave the DOM alone (and any text the operator selected).
      if (html !== this.lastHtml) {
        this.el.innerHTML = html;
        this.lastHtml = html;
      }
      return;
    }
    this.lastHtml = null;
    // Do not rebuild the form under the operator's cursor.
    if (!force && this.el.contains(document.activeElement) && document.activeElement.tagName !== 'BUTTON') {
      this.updateLive(t);
      return;
    }
    const p = t.p;
    const opts = (list, cur) => list.map((v) => `<option${v === cur ? ' selected' : ''}>${v}</option>`).join('');
    this.el.innerHTML = `
      <h3>Track ${t.id} <span class="standing-${escapeHtml(p.standing)}">${escapeHtml(p.standing)}</span> ${escapeHtml(identity(p))}</h3>
      <dl class="live">${this.liveFields(t)}</dl>
      <div class="commands">
        <label>Standing <select name="standing">${opts(STANDINGS, p.standing)}</select></label><button data-action="standing">Set</button>
        <label>Class <select name="class">${opts(CLASSES, p.class)}</select></label><button data-action="class">Set</button>
        <label>Label <input name="label" value="${escapeHtml(p.label)}" size="10"></label><button data-action="label">Set</button>
        <label>Mute alerts <input name="mute" type="number" value="10" min="1" max="1440" style="width:4em"> min</label><button data-action="mute">Mute</button>
        <button data-action="target">Intercept this track</button>
      </div>`;
  }

  updateLive(t) {
    const dl = this.el.querySelector('dl.live');
    if (dl) dl.innerHTML = this.liveFields(t);
  }

  liveFields(t) {
    const p = t.p;
    const f = (k, v) => `<dt>${k}</dt><dd data-field="${k.toLowerCase().replace(/ /g, '-')}">${v}</dd>`;
    return [
      f('Status', escapeHtml(p.status)),
      f('Class', escapeHtml(p.class)),
      f('Position', latLon(t.lat, t.lon)),
      f('Speed', `${knots(p.speed_mps)} kn`),
      f('Course', degrees(p.course_deg)),
      f('Sigma', `${p.sigma_m?.toFixed?.(0) ?? ''} m`),
      f('Sensors', escapeHtml((p.sensors ?? []).join(', '))),
      f('AIS', p.mmsi ? `MMSI ${p.mmsi} ${escapeHtml(p.name ?? '')} ${escapeHtml(p.callsign ?? '')} type ${p.ship_type ?? '?'}` : 'none (dark)'),
      f('Last AIS', escapeHtml(p.last_ais ?? '-')),
      f('Flags', [p.spoof_suspect && 'spoof suspect', p.ais_jump && 'AIS jump'].filter(Boolean).join(', ') || '-'),
      f('Age', duration(secondsBetween(p.born, p.time))),
      f('Updated', escapeHtml(p.time ?? '')),
    ].join('');
  }
}
