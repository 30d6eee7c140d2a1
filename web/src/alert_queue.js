// The alert queue: open alerts first, most severe then newest; acknowledge / close buttons;
// selecting an alert centres the map on it. New high-severity alerts flash the banner and beep.
import { escapeHtml } from './format.js';

const MAX_ROWS = 200;

export class AlertQueue {
  constructor(el, banner, store, { onSelect, onCommand }) {
    this.el = el;
    this.banner = banner;
    this.store = store;
    this.onSelect = onSelect;
    this.onCommand = onCommand;
    this.selected = null;
    this.dirty = true;
    this.audio = null;
    el.addEventListener('click', (e) => {
      const row = e.target.closest('[data-alert-id]');
      if (!row) return;
      const id = Number(row.dataset.alertId);
      const action = e.target.closest('button')?.dataset.action;
      if (action) this.onCommand({ cmd: action, alert_id: id });
      else this.select(id);
    });
    store.onChange((kind, detail) => {
      if (kind === 'alert' || kind === 'snapshot') this.dirty = true;
      if (kind === 'alert' && detail.isNew) {
        const sev = detail.alert.properties.severity;
        if (sev === 'high' || sev === 'critical') this.cue(detail.alert);
      }
    });
    setInterval(() => this.render(), 250);
  }

  select(id) {
    this.selected = id;
    this.dirty = true;
    const a = this.store.alerts.get(id);
    if (a) this.onSelect(a);
    this.render();
  }

  /** Visual cue always (banner flash); audible when the browser allows audio. */
  cue(alert) {
    const p = alert.properties;
    this.banner.textContent = `${p.severity.toUpperCase()}: ${p.message}`;
    this.banner.classList.remove('flash');
    void this.banner.offsetWidth; // restart the CSS animation
    this.banner.classList.add('flash');
    this.banner.hidden = false;
    try {
      this.audio ??= new AudioContext();
      const o = this.audio.createOscillator();
      const g = this.audio.createGain();
      o.frequency.value = p.severity === 'critical' ? 1320 : 880;
      g.gain.value = 0.08;
      o.connect(g).connect(this.audio.destination);
      o.start();
      o.stop(this.audio.currentTime + 0.25);
    } catch {
      // No audio device or autoplay blocked: the visual cue stands.
    }
  }

  render() {
    if (!this.dirty) return;
    this.dirty = false;
    const alerts = this.store.sortedAlerts();
    const open = alerts.filter((a) => a.properties.state === 'open').length;
    document.getElementById('alert-count').textContent = `${open} open / ${alerts.length}`;
    const rows = alerts.slice(0, MAX_ROWS).map((a) => {
      const p = a.properties;
      const sel = p.alert_id === this.selected ? ' selected' : '';
      const buttons = p.state === 'open'
        ? '<button data-action="ack">Ack</button><button data-action="close">Close</button>'
        : '<button data-action="close">Close</button>';
      const ack = p.state === 'acknowledged' ? `ack by ${escapeHtml(p.acknowledged_by ?? '?')}` : '';
      return `<li class="alert sev-${escapeHtml(p.severity)} state-${escapeHtml(p.state)}${sel}" data-alert-id="${p.alert_id}" data-state="${escapeHtml(p.state)}">
        <div class="alert-head"><span class="sev">${escapeHtml(p.severity)}</span>
        <span class="kind">${escapeHtml(p.kind)}</span><span class="t">${escapeHtml((p.time ?? '').slice(11, 19))}</span>
        <span class="buttons">${buttons}</span></div>
        <div class="msg">#${p.alert_id} T${p.track_id ?? '-'} ${escapeHtml(p.message)} <i>${ack}</i></div></li>`;
    });
    this.el.innerHTML = rows.join('');
  }
}
