// Unit tests of the detail panel's view of an alert with no track
// (node --test tests/browser/alert_detail.test.mjs). Alerts are shaped as docs/protocol.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertDetailHtml } from '../../web/src/alert_detail.js';

function alert(properties, evidence) {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [124.463, -9.2452] },
    properties: {
      alert_id: 22, kind: 'ground_detection', severity: 'critical', rule: 'ugs-at-border', zone: 'IDN-TLS',
      track_id: 0, time: '2026-11-25T16:17:36.370Z', state: 'open', escalated: true,
      message: 'ugs detection (person) 148 m from IDN-TLS', mmsi: null, name: null, callsign: null,
      ...properties,
      evidence: {
        lat: -9.2452, lon: 124.463, speed_mps: 0, course_deg: 0, status: 'tentative', dark: false,
        time: '2026-11-25T16:17:36.370Z', class: 'person', sensors: ['ugs'], ...evidence,
      },
    },
  };
}

const field = (html, name) => new RegExp(`data-field="${name}">([^<]*)<`).exec(html)?.[1];

test('a ground-sensor detection: kind, sensor, class, position and time, no track', () => {
  const html = alertDetailHtml(alert({}, {}));
  assert.match(html, /<h3>Incident #22 .*critical.*ground_detection<\/h3>/);
  assert.equal(field(html, 'kind'), 'ground_detection');
  assert.equal(field(html, 'sensor'), 'ugs');
  assert.equal(field(html, 'class'), 'person');
  assert.equal(field(html, 'position'), '9.2452°S 124.4630°E');
  assert.equal(field(html, 'time'), '2026-11-25T16:17:36.370Z');
  assert.equal(field(html, 'rule'), 'ugs-at-border (IDN-TLS)');
  assert.equal(field(html, 'state'), 'open, escalated');
  assert.match(field(html, 'track'), /^none/);
  // A detection has no motion: no "0.0 kn 000°" in its evidence.
  assert.equal(field(html, 'evidence'), '9.2452°S 124.4630°E, tentative, 2026-11-25T16:17:36.370Z');
});

test('no evidence time (the engine writes the epoch) is left out, not shown as 1970', () => {
  const html = alertDetailHtml(alert({ kind: 'ais_anomaly', mmsi: 533001122 },
    { time: '1970-01-01T00:00:00.000Z', sensors: [], status: 'confirmed' }));
  assert.doesNotMatch(html, /1970/);
  assert.equal(field(html, 'sensor'), '-');
  assert.equal(field(html, 'ais'), 'MMSI 533001122');
});

test('an alert whose track was deleted names the track', () => {
  const html = alertDetailHtml(alert({ kind: 'border_crossing', track_id: 12, state: 'acknowledged', acknowledged_by: 'op1' },
    { speed_mps: 1.5, course_deg: 45, sensors: ['radar', 'camera'] }));
  assert.equal(field(html, 'track'), '12 (gone)');
  assert.equal(field(html, 'state'), 'acknowledged by op1, escalated');
  assert.equal(field(html, 'sensor'), 'radar, camera');
  assert.match(field(html, 'evidence'), /2\.9 kn 045°/);
});

test('text from the server is escaped', () => {
  const html = alertDetailHtml(alert({ message: '<img src=x onerror=alert(1)>' }, {}));
  assert.doesNotMatch(html, /<img/);
  assert.equal(field(html, 'message'), '&lt;img src=x onerror=alert(1)&gt;');
});

// ---------------------------------------------------------------------------------------------
// The incident panel and the queue (version 2 incidents, docs/protocol.md).
import { incidentInfoHtml, incidentFormHtml } from '../../web/src/alert_detail.js';
import { incidentRowHtml, ruleSharesHtml, incidentKinds } from '../../web/src/alert_queue.js';
import { rankAssets, incidentTarget } from '../../web/src/intercept.js';

function incident(properties = {}) {
  return alert({
    version: 2, incident_id: 22, kind: 'border_crossing', severity: 'high', rule: 'land-incursion',
    track_id: 12, track_ids: [12], active: true, reopened: 0, assigned_to: null, disposition: null,
    updated: '2026-11-25T16:20:00.000Z',
    timeline: [
      { seq: 1, kind: 'ground_detection', severity: 'high', rule: 'ugs-at-border', count: 3,
        time: '2026-11-25T16:17:36.370Z', message: 'camera detection (person) 417 m from IDN-TLS' },
      { seq: 2, kind: 'approach', severity: 'low', rule: 'near-land-border', count: 1,
        time: '2026-11-25T16:17:40.000Z', message: 'dark track 12 approaching IDN-TLS' },
      { seq: 3, kind: 'border_crossing', severity: 'high', rule: 'land-incursion', count: 1,
        time: '2026-11-25T16:19:00.000Z', message: 'dark track 12 crossed IDN -> TLS' },
    ],
    notes: [{ time: '2026-11-25T16:19:30.000Z', by: 'op1', text: 'patrol <b>informed</b>' }],
    ...properties,
  }, { status: 'confirmed', sensors: ['camera'] });
}

test('the incident panel: its facts, its timeline of findings and its notes', () => {
  const html = incidentInfoHtml(incident());
  assert.match(html, /<h3>Incident #22 .*high.*border_crossing<\/h3>/);
  assert.equal(field(html, 'situation'), 'going on');
  assert.match(html, /data-track="12">track 12</);
  assert.equal((html.match(/<tr data-seq=/g) ?? []).length, 3);
  assert.match(html, /×3/);  // the camera saw the person three times: one entry, counted
  assert.match(html, /patrol &lt;b&gt;informed&lt;\/b&gt;/);  // notes are escaped
  const closed = incidentInfoHtml(incident({ state: 'closed', disposition: 'false_alarm', closed_by: 'sup', escalated: false }));
  assert.equal(field(closed, 'state'), 'closed as false alarm by sup');
  const sensorOnly = incidentInfoHtml(incident({ track_id: 0, track_ids: [] }));
  assert.match(field(sensorOnly, 'about'), /^no track: camera only/);
});

test('a group incident: the panel says so, and an entry about several targets lists their tracks', () => {
  const g = incident({ track_ids: [1872, 1926] });
  g.properties.timeline[1] = {
    ...g.properties.timeline[1],
    targets: [{ track_id: 1872, time: '2026-11-25T16:17:40.000Z' }, { track_id: 1926, time: '2026-11-25T16:18:10.000Z' }],
  };
  const html = incidentInfoHtml(g);
  assert.match(html, /data-field="about">group: <a href="#" data-track="1872">track 1872<\/a>, <a href="#" data-track="1926">/);
  assert.match(html, /\(tracks 1872 \+ 1926\)/);
  assert.equal((html.match(/class="group"/g) ?? []).length, 1);
  // One target per entry (version 2 and single targets): no group.
  assert.doesNotMatch(incidentInfoHtml(incident()), /group/);
});

test('a timeline entry with a place carries it (a click shows it on the map); one without, none', () => {
  const placed = incident();
  placed.properties.timeline[0] = { ...placed.properties.timeline[0], lon: 124.4681, lat: -9.245 };
  const html = incidentInfoHtml(placed);
  assert.match(html, /<tr data-seq="1" data-lon="124.4681" data-lat="-9.245" /);
  assert.equal((html.match(/data-lon=/g) ?? []).length, 1);
});

test('the workflow controls: ack while open, assets by time to intercept, dispositions', () => {
  const assets = [
    { id: 'slow', name: 'Slow', lat: -9.30, lon: 124.40, max_speed_mps: 2 },
    { id: 'fast', name: 'Fast', lat: -9.30, lon: 124.40, max_speed_mps: 20 },
  ];
  const a = incident({ assigned_to: 'slow' });
  const ranked = rankAssets(assets, incidentTarget(a, new Map()));
  assert.deepEqual(ranked.map((r) => r.asset.id), ['fast', 'slow']);
  const html = incidentFormHtml(a, ranked);
  assert.match(html, /data-action="ack"/);
  assert.match(html, /<option value="slow" selected>/);
  assert.match(html, /<option value="false_alarm">false alarm<\/option>/);
  assert.doesNotMatch(incidentFormHtml(incident({ state: 'acknowledged' }), ranked), /data-action="ack"/);
  assert.match(incidentFormHtml(incident({ state: 'closed' }), ranked), /Closed/);
  // A live track is the target: its velocity counts.
  const tracks = new Map([[12, { lat: -9.25, lon: 124.46, p: { east_mps: 1, north_mps: 0 } }]]);
  assert.deepEqual(incidentTarget(a, tracks), { lat: -9.25, lon: 124.46, east_mps: 1, north_mps: 0, track_id: 12 });
});

test('a queue row is one incident: its kinds once, its tracks, never "T0"', () => {
  const a = incident();
  assert.deepEqual(incidentKinds(a.properties), ['border_crossing', 'ground_detection', 'approach']);
  const row = incidentRowHtml(a, 22);
  assert.match(row, /class="alert incident sev-high state-open selected"/);
  assert.match(row, /<span class="kinds">ground_detection, approach<\/span>/);
  assert.match(row, /track 12/);
  assert.match(row, /\(3 findings\)/);
  const detection = incidentRowHtml(incident({ track_id: 0, track_ids: [], timeline: [] }), null);
  assert.doesNotMatch(detection, /T0|track 0/);
  assert.match(detection, /camera only/);
  assert.match(incidentRowHtml(incident({ active: false, assigned_to: 'pb-dili', reopened: 2 }), null),
    /re-opened ×2 · → pb-dili · over/);
});

test('the supervisor table: false-alarm share per rule, worst first', () => {
  const html = ruleSharesHtml([
    { rule: 'dark-in-tls-waters', closed: 10, false_alarms: 1, share: 0.1 },
    { rule: 'ugs-at-border', closed: 4, false_alarms: 3, share: 0.75 },
  ]);
  assert.ok(html.indexOf('ugs-at-border') < html.indexOf('dark-in-tls-waters'));
  assert.match(html, /<td>75%<\/td>/);
  assert.match(ruleSharesHtml([]), /No incident closed/);
});
