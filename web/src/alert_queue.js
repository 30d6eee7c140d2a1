// The incident queue: open incidents first, most severe then newest; an Ack button on open ones
// (closing needs a disposition: the incident panel). Each row is one incident — one thing that
// happened — with the kinds of evidence its timeline holds, so the operator sees "crossing,
// approach, dark target" once, not three alerts. Selecting a row shows the incident in the
// incident panel and centres the map on it. A new high or critical incident, or one that got
// worse (re-opened, severity raised), flashes the banner and beeps.
//
// Module interface (for the map and the rest of the page):
//   new AlertQueue(listEl, bannerEl, store, { onSelect(incident), onCommand(cmd) })
//   queue.select(id)                 select incident `id` (calls onSelect)
//   queue.selected                   the selected incident id, or null
//   incidentRowHtml(feature, selId)  one row's HTML (pure: tested under node)
//   ruleSharesHtml(shares)           the supervisor's false-alarm table (pure)
// Incidents are the `alert` topic's features (docs/protocol.md, version 2).
import { escapeHtml } from './format.js';

const MAX_ROWS = 200;

/** The distinct evidence kinds of an incident, headline first. */
export function incidentKinds(p) {
  const kinds = [p.kind];
  for (const e of p.timeline ?? []) if (!kinds.includes(e.kind)) kinds.push(e.kind);
  return kinds;
}

/** Who an incident is about, in a few words: its tracks, else the sensors that saw it. */
export function incidentSubject(p) {
  const tracks = (p.track_ids ?? []).length ? p.track_ids : p.track_id ? [p.track_id] : [];
  if (tracks.length) return tracks.map((t) => `track ${t}`).join(' + ');
  const sensors = p.evidence?.sensors ?? [];
  return sensors.length ? `${sensors.join(', ')} only` : 'no track';
}

/** One queue row (pure). `selectedId`: the selected incident. */
export function incidentRowHtml(a, selectedId) {
  const p = a.properties;
  const sel = p.alert_id === selectedId ? ' selected' : '';
  const resolved = p.active === false ? ' resolved' : '';
  const buttons = p.state === 'open' ? '<button data-action="ack">Ack</button>' : '';
  const kinds = incidentKinds(p);
  const more = kinds.length > 1 ? `<span class="kinds">${kinds.slice(1).map(escapeHtml).join(', ')}</span>` : '';
  const notes = [
    p.state === 'acknowledged' ? `ack by ${escapeHtml(p.acknowledged_by ?? '?')}` : '',
    p.reopened ? `re-opened${p.reopened > 1 ? ` ×${p.reopened}` : ''}` : '',
    p.assigned_to ? `→ ${escapeHtml(p.assigned_to)}` : '',
    p.active === false ? 'over' : '',
  ].filter(Boolean).join(' · ');
  const entries = (p.timeline ?? []).length;
  return `<li class="alert incident sev-${escapeHtml(p.severity)} state-${escapeHtml(p.state)}${resolved}${sel}" data-alert-id="${p.alert_id}" data-state="${escapeHtml(p.state)}">
        <div class="alert-head"><span class="sev">${escapeHtml(p.severity)}</span>
        <span class="kind">${escapeHtml(p.kind)}</span>${more}<span class="t">${escapeHtml((p.time ?? '').slice(11, 19))}</span>
        <span class="buttons">${buttons}</span></div>
        <div class="msg">#${p.alert_id} <span class="subject">${escapeHtml(incidentSubject(p))}</span> ${escapeHtml(p.message)}${entries > 1 ? ` <span class="entries">(${entries} findings)</span>` : ''} <i>${notes}</i></div></li>`;
}

/** The supervisor's view: false-alarm share per rule over the last 7 days, worst first (pure). */
export function ruleSharesHtml(shares) {
  const rows = [...(shares ?? [])]
    .sort((a, b) => b.share - a.share || b.closed - a.closed || a.rule.localeCompare(b.rule))
    .map((s) => `<tr data-rule="${escapeHtml(s.rule)}"><td>${escapeHtml(s.rule)}</td><td>${s.closed}</td><td>${s.false_alarms}</td><td>${Math.round(s.share * 100)}%</td></tr>`);
  if (!rows.length) return '<p class="hint">No incident closed in the last 7 days.</p>';
  return `<table class="shares"><thead><tr><th>rule</th><th>closed</th><th>false alarms</th><th>share</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export class AlertQueue {
  constructor(el, banner, store, { onSelect, onCommand, sharesEl = null }) {
    this.el = el;
    this.banner = banner;
    this.store = store;
    this.onSelect = onSelect;
    this.onCommand = onCommand;
    this.sharesEl = sharesEl;
    this.selected = null;
    this.dirty = true;
    this.audio = null;
    el.addEventListener('click', (e) => {
      const row = e.target.closest('[data-alert-id]');
      if (!row) return;
      const id = Number(row.dataset.alertId);
      const action = e.target.closest('button')?.dataset.action;
      if (action) this.onCommand({ cmd: action, incident_id: id });
      else this.select(id);
    });
    store.onChange((kind, detail) => {
      if (kind === 'alert' || kind === 'snapshot' || kind === 'shares') this.dirty = true;
      if (kind === 'alert' && detail.cue) {
        const sev = detail.alert.properties.severity;
        if (sev === 'high' || sev === 'critical') this.cue(detail.alert);
      }
    });
    setInterval(() => this.render(), 250);
  }

  select(id) {
    this.selected = id;
    this.dirty = true;
    const a = this.store.alerts.get(id) ?? this.store.closedAlerts.get(id);
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
    // Browsers play a page's sound only once the operator has clicked or typed in it; before
    // that an AudioContext stays silent, and making one cost 0.5 s of the page's load here
    // (headless, no audio device) when the first alerts arrived with the snapshot.
    if (!globalThis.navigator?.userActivation?.hasBeenActive) return;
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
    // Rows are kept per incident and patched in place: a row rebuilt under the operator's
    // cursor would eat the click (the queue re-renders four times a second).
    this.rows ??= new Map();
    const shown = new Set();
    let next = this.el.firstElementChild;
    for (const a of alerts.slice(0, MAX_ROWS)) {
      const id = a.properties.alert_id;
      const fresh = elementFrom(incidentRowHtml(a, this.selected));
      let row = this.rows.get(id);
      if (row) patchElement(row, fresh);
      else this.rows.set(id, (row = fresh));
      shown.add(id);
      if (row !== next) this.el.insertBefore(row, next);
      else next = next.nextElementSibling;
    }
    for (const [id, row] of this.rows) {
      if (shown.has(id)) continue;
      row.remove();
      this.rows.delete(id);
    }
    if (this.sharesEl) {
      const html = ruleSharesHtml(this.store.ruleShares);
      if (html !== this.sharesHtml) this.sharesEl.innerHTML = this.sharesHtml = html;
    }
  }
}

function elementFrom(html) {
  const t = document.createElement('template');
  t.innerHTML = html.trim();
  return t.content.firstElementChild;
}

/** Makes `el` look like `fresh`, replacing only the descendants that differ. */
function patchElement(el, fresh) {
  for (const { name } of [...el.attributes]) if (!fresh.hasAttribute(name)) el.removeAttribute(name);
  for (const { name, value } of [...fresh.attributes]) if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  if (el.innerHTML === fresh.innerHTML) return;
  const [a, b] = [el.children, fresh.children];
  // Element children only, between whitespace (the row template's indentation).
  const onlyElements = (n) => [...n.childNodes].every((c) => c.nodeType === 1 || (c.nodeType === 3 && !c.textContent.trim()));
  const sameShape = a.length === b.length && a.length > 0 && onlyElements(el) && onlyElements(fresh) &&
    [...a].every((c, i) => c.tagName === b[i].tagName);
  if (!sameShape) {
    el.innerHTML = fresh.innerHTML;
    return;
  }
  for (let i = 0; i < a.length; i++) patchElement(a[i], b[i]);
}
