// The detail panel for a selected alert that has no track to show: a ground-sensor or camera
// detection (track id 0), an AIS anomaly, or an alert whose track has since been deleted. The
// operator still needs what the alert itself knows: kind, sensor, position, time, evidence.
import { knots, degrees, escapeHtml, latLon } from './format.js';

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
  const track = p.track_id ? `${p.track_id} (gone)` : 'none: raised by a detection, not a track';
  const state = p.state === 'acknowledged' ? `acknowledged by ${escapeHtml(p.acknowledged_by ?? '?')}` : escapeHtml(p.state);
  return `
    <h3>Alert #${p.alert_id} <span class="sev-${escapeHtml(p.severity)}">${escapeHtml(p.severity)}</span> ${escapeHtml(p.kind)}</h3>
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
