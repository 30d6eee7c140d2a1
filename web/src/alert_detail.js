// The detail panels of an incident (an `alert` feature, docs/protocol.md). alertDetailHtml: the
// track panel's view of an incident that has no track to show (a ground-sensor or camera
// detection, an AIS anomaly, or a track since deleted). IncidentPanel, below: the incident
// itself, its timeline and the operator's workflow.
import { knots, degrees, duration, escapeHtml, latLon } from './format.js';
import { incidentTarget, rankAssets } from './intercept.js';

/** An RFC 3339 time worth showing; the engine writes the epoch for "no time". */
function realTime(t) {
  return t && !t.startsWith('1970-01-01') ? t : null;
}

/** HTML for alert `a` (a GeoJSON feature from the store). */
export function alertDetailHtml(a) {
  const p = a.properties;
  const e = p.evidence ?? {};
  const [lon, lat] = a.geometry.coordinates;
  const f = (k, v) => `<dt>${k}</dt><dd data-field="${k.toLowerCase()}">${v}</dd>`;
  const identity = [p.mmsi && `MMSI ${p.mmsi}`, p.name, p.callsign].filter(Boolean).map(escapeHtml).join(' ');
  const moving = e.speed_mps > 0;
  const evidence = [
    e.lat != null && e.lon != null ? latLon(e.lat, e.lon) : '',
    escapeHtml(e.status ?? ''),
    e.dark ? 'dark' : '',
    moving ? `${knots(e.speed_mps)} kn ${degrees(e.course_deg)}` : '',
    escapeHtml(realTime(e.time) ?? ''),
  ].filter(Boolean).join(', ');
  const track = p.track_id ? `${p.track_id} (gone)` : 'none: found by a detection, not a track';
  const state = p.state === 'acknowledged' ? `acknowledged by ${escapeHtml(p.acknowledged_by ?? '?')}` : escapeHtml(p.state);
  return `
    <h3>Incident #${p.alert_id} <span class="sev-${escapeHtml(p.severity)}">${escapeHtml(p.severity)}</span> ${escapeHtml(p.kind)}</h3>
    <dl class="live alert-detail">${[
      f('Kind', escapeHtml(p.kind)),
      f('Message', escapeHtml(p.message)),
      f('Sensor', escapeHtml((e.sensors ?? []).join(', ') || '-')),
      f('Class', escapeHtml(e.class ?? '-')),
      f('Position', latLon(lat, lon)),
      f('Time', escapeHtml(p.time ?? '')),
      f('Rule', escapeHtml(p.zone ? `${p.rule} (${p.zone})` : p.rule)),
      f('State', `${state}${p.escalated ? ', escalated' : ''}`),
      f('Track', track),
      f('AIS', identity || '-'),
      f('Evidence', evidence || '-'),
    ].join('')}</dl>`;
}

// ---------------------------------------------------------------------------------------------
// The incident panel: everything about the selected incident and the operator's workflow on it
// (docs/control-room.md): its timeline of evidence, notes, acknowledge, assign to a patrol asset
// (ranked by time to intercept), close with a disposition.
//
// Module interface:
//   new IncidentPanel(el, store, { onCommand(cmd), assets() -> [asset], onTarget(trackId),
//                                  onPlace(lon, lat) })   onPlace: a timeline row was clicked
//   panel.show(id)                       show incident `id` (null: none)
//   panel.incidentId                     the incident shown
//   incidentInfoHtml(feature)            its facts and timeline (pure: tested under node)
//   incidentFormHtml(feature, ranked)    its workflow controls (pure)

export const DISPOSITIONS = [
  ['confirmed', 'confirmed'],
  ['false_alarm', 'false alarm'],
  ['duplicate', 'duplicate'],
  ['exercise', 'exercise'],
];

function stateText(p) {
  if (p.state === 'acknowledged') return `acknowledged by ${escapeHtml(p.acknowledged_by ?? '?')}`;
  if (p.state === 'closed') {
    const d = DISPOSITIONS.find(([v]) => v === p.disposition)?.[1] ?? p.disposition ?? '';
    return `closed${d ? ` as ${escapeHtml(d)}` : ''} by ${escapeHtml(p.closed_by ?? '?')}`;
  }
  return escapeHtml(p.state);
}

/** The incident's title line: number, severity, kind (pure). */
export function incidentHeadHtml(a) {
  const p = a.properties;
  return `<h3>Incident #${p.alert_id} <span class="sev-${escapeHtml(p.severity)}">${escapeHtml(p.severity)}</span> ${escapeHtml(p.kind)}</h3>`;
}

/** The incident's title, facts, timeline and notes (pure). */
export function incidentInfoHtml(a) {
  return `${incidentHeadHtml(a)}${incidentFactsHtml(a)}`;
}

/** The incident's facts, timeline and notes (pure). */
export function incidentFactsHtml(a) {
  const p = a.properties;
  const e = p.evidence ?? {};
  const [lon, lat] = a.geometry.coordinates;
  const f = (k, v) => `<dt>${k}</dt><dd data-field="${k.toLowerCase()}">${v}</dd>`;
  const tracks = (p.track_ids ?? []).length ? p.track_ids : p.track_id ? [p.track_id] : [];
  // A group (protocol version 3): targets doing the same thing together, one incident; a
  // timeline entry about several of them lists each one's track (`targets`).
  const group = (p.timeline ?? []).some((x) => (x.targets ?? []).length > 1);
  const about = tracks.length
    ? `${group ? 'group: ' : ''}${tracks.map((t) => `<a href="#" data-track="${t}">track ${t}</a>`).join(', ')}`
    : `no track: ${escapeHtml((e.sensors ?? []).join(', ') || 'sensors')} only`;
  const members = (x) => ((x.targets ?? []).length > 1 ? ` <span class="group">(tracks ${x.targets.map((t) => Number(t.track_id)).join(' + ')})</span>` : '');
  const identity = [p.mmsi && `MMSI ${p.mmsi}`, p.name, p.callsign].filter(Boolean).map(escapeHtml).join(' ');
  const flags = [p.escalated && 'escalated', p.reopened && `re-opened ${p.reopened}×`].filter(Boolean).join(', ');
  // A row with a position: a click on it shows that place on the map (data-lon, data-lat).
  const at = (x) => (Number.isFinite(x.lon) && Number.isFinite(x.lat) ? ` data-lon="${x.lon}" data-lat="${x.lat}"` : '');
  const timeline = (p.timeline ?? []).map((x) => `<tr data-seq="${x.seq}"${at(x)} class="sev-${escapeHtml(x.severity)}">
      <td>${escapeHtml((x.time ?? '').slice(11, 19))}</td><td>${escapeHtml(x.kind)}</td>
      <td>${escapeHtml(x.rule)}</td><td>${x.count > 1 ? `×${x.count}` : ''}</td><td>${escapeHtml(x.message)}${members(x)}</td></tr>`);
  const notes = (p.notes ?? []).map((n) => `<li><b>${escapeHtml(n.by)}</b> ${escapeHtml((n.time ?? '').slice(11, 19))}: ${escapeHtml(n.text)}</li>`);
  return `
    <dl class="live incident-detail">${[
      f('Message', escapeHtml(p.message)),
      f('State', `${stateText(p)}${flags ? `, ${flags}` : ''}`),
      f('Situation', p.active === false ? 'over (no new evidence joins it)' : 'going on'),
      f('About', about),
      f('Sensor', escapeHtml((e.sensors ?? []).join(', ') || '-')),
      f('Class', escapeHtml(e.class ?? '-')),
      f('Rule', escapeHtml(p.zone ? `${p.rule} (${p.zone})` : p.rule)),
      f('Position', latLon(lat, lon)),
      f('Raised', escapeHtml(p.time ?? '')),
      f('Updated', escapeHtml(p.updated ?? p.time ?? '')),
      f('Assigned', escapeHtml(p.assigned_to || '-')),
      f('AIS', identity || '-'),
    ].join('')}</dl>
    <h4>Timeline</h4>
    <table class="timeline"><tbody>${timeline.join('')}</tbody></table>
    <h4>Notes</h4>
    <ul class="notes">${notes.join('') || '<li class="hint">none</li>'}</ul>`;
}

/** The assets to assign, fastest to the target first, with their ETAs (pure). */
export function assetOptionsHtml(a, ranked) {
  const p = a.properties;
  const eta = (r) => (r.ok ? `ETA ${duration(r.time_s)}` : 'cannot reach');
  const assets = ranked.map(({ asset, result }) => `<option value="${escapeHtml(asset.id)}"${asset.id === p.assigned_to ? ' selected' : ''}>${escapeHtml(asset.name)} — ${eta(result)}${asset.available === false ? ', busy' : ''}</option>`);
  return `<option value="">— nobody —</option>${assets.join('')}`;
}

/** The workflow controls; `ranked`: [{asset, result}] from rankAssets (pure). */
export function incidentFormHtml(a, ranked) {
  const p = a.properties;
  if (p.state === 'closed') return '<p class="hint">Closed: worse evidence would re-open it.</p>';
  const dispositions = DISPOSITIONS.map(([v, label]) => `<option value="${v}">${label}</option>`);
  return `<div class="commands workflow">
      ${p.state === 'open' ? '<button data-action="ack">Acknowledge</button>' : ''}
      <label>Assign <select name="asset">${assetOptionsHtml(a, ranked)}</select></label><button data-action="assign">Assign</button>
      <label>Note <input name="note" size="22" maxlength="2000"></label><button data-action="note">Add note</button>
      <label>Close as <select name="disposition">${dispositions.join('')}</select></label><button data-action="close">Close</button>
    </div>`;
}

export class IncidentPanel {
  constructor(el, store, { onCommand, assets, onTarget, onPlace = () => {} }) {
    this.el = el;
    this.store = store;
    this.onCommand = onCommand;
    this.assets = assets;
    this.onTarget = onTarget;
    this.onPlace = onPlace;
    this.incidentId = null;
    el.addEventListener('click', (e) => {
      const track = e.target.closest('[data-track]');
      if (track) {
        e.preventDefault();
        this.onTarget(Number(track.dataset.track));
        return;
      }
      const place = e.target.closest('tr[data-lon]');
      if (place) {
        this.onPlace(Number(place.dataset.lon), Number(place.dataset.lat));
        return;
      }
      const action = e.target.closest('button')?.dataset.action;
      if (!action || this.incidentId === null) return;
      const id = this.incidentId;
      const val = (name) => el.querySelector(`[name="${name}"]`)?.value ?? '';
      if (action === 'ack') this.onCommand({ cmd: 'ack', incident_id: id });
      if (action === 'assign') this.onCommand({ cmd: 'assign', incident_id: id, asset: val('asset') });
      if (action === 'close') this.onCommand({ cmd: 'close', incident_id: id, disposition: val('disposition') });
      if (action === 'note') {
        const text = val('note').trim();
        if (text) this.onCommand({ cmd: 'note', incident_id: id, text });
        const input = el.querySelector('[name="note"]');
        if (input) input.value = '';
      }
    });
    store.onChange((kind) => {
      if (kind === 'alert' || kind === 'snapshot') this.render(false);
    });
    setInterval(() => this.render(false), 1000);  // ETAs move with the target
  }

  incident() {
    if (this.incidentId === null) return undefined;
    return this.store.alerts.get(this.incidentId) ?? this.store.closedAlerts.get(this.incidentId);
  }

  show(id) {
    this.incidentId = id ?? null;
    this.render(true);
  }

  render(force) {
    const a = this.incident();
    if (!a) {
      const html = this.incidentId === null ? '<p class="hint">Select an incident in the queue.</p>'
        : `<p class="hint">Incident #${this.incidentId} is not in the picture.</p>`;
      if (html !== this.emptyHtml) this.el.innerHTML = this.emptyHtml = html;
      this.formKey = null;
      return;
    }
    this.emptyHtml = null;
    const p = a.properties;
    const ranked = rankAssets(this.assets(), incidentTarget(a, this.store.tracks));
    // The controls sit under the title, above the facts and the timeline that grow as evidence
    // comes in, so a button does not move under the operator's cursor. They are rebuilt only when
    // another incident is shown or its state changes (ack, close), and never while the operator
    // types or picks: a click that lands while a button is replaced would be lost.
    const key = `${p.alert_id}/${p.state}`;
    const busy = this.el.contains(document.activeElement) && document.activeElement.tagName !== 'BUTTON';
    // What the operator chose but has not sent yet (an asset, a disposition, a note) survives a
    // rebuild of the same incident's controls.
    const kept = this.shownId === p.alert_id ? this.choices() : {};
    this.shownId = p.alert_id;
    if (!this.el.querySelector('.form') || force || (key !== this.formKey && !busy)) {
      this.el.innerHTML = '<div class="head"></div><div class="form"></div><div class="info"></div>';
      this.part('.form', incidentFormHtml(a, ranked));
      this.formKey = key;
      this.optionsHtml = assetOptionsHtml(a, ranked);
      this.headHtml = this.infoHtml = null;
      this.restore(kept);
    }
    if (incidentHeadHtml(a) !== this.headHtml) this.part('.head', this.headHtml = incidentHeadHtml(a));
    const facts = incidentFactsHtml(a);
    if (facts !== this.infoHtml) this.part('.info', this.infoHtml = facts);
    // ETAs move with the target: only the asset list's texts change, in place.
    const options = assetOptionsHtml(a, ranked);
    const select = this.el.querySelector('select[name="asset"]');
    if (select && !busy && options !== this.optionsHtml) {
      const chosen = select.value;
      select.innerHTML = this.optionsHtml = options;
      this.restore({ asset: chosen });
    }
  }

  part(selector, html) {
    this.el.querySelector(selector).innerHTML = html;
  }

  /** The values of the workflow's inputs now: {name: value}. */
  choices() {
    const out = {};
    for (const name of ['asset', 'disposition', 'note']) {
      const input = this.el.querySelector(`[name="${name}"]`);
      if (input) out[name] = input.value;
    }
    return out;
  }

  restore(kept) {
    for (const [name, value] of Object.entries(kept)) {
      const input = this.el.querySelector(`[name="${name}"]`);
      if (!input) continue;
      if (input.tagName === 'SELECT' && ![...input.options].some((o) => o.value === value)) continue;
      input.value = value;
    }
  }
}
