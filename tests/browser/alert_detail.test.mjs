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
  assert.match(html, /<h3>Alert #22 .*critical.*ground_detection<\/h3>/);
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
