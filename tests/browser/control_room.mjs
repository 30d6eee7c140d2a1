// Browser test of the control room against a running server (PICKET_URL; starts nothing):
// the page loads, tracks appear and move, a ground-detection alert (no track) shows its own
// details in the panel, an alert is acknowledged, and after a reload the alert is still
// acknowledged (the state lives in the server, not in the page).
//   PICKET_URL=http://127.0.0.1:8080/ node tests/browser/control_room.mjs
// Screenshots go to web/test-results/ (git-ignored).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launch, newWatchedPage, serverUrl } from './chromium.mjs';

const url = serverUrl();
const shots = new URL('../../web/test-results/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });
const TRACK_TIMEOUT_MS = Number(process.env.PICKET_TRACK_TIMEOUT_MS ?? 60000);
const ALERT_TIMEOUT_MS = Number(process.env.PICKET_ALERT_TIMEOUT_MS ?? 120000);

const step = (s) => console.log(`[control_room] ${s}`);
const { context, close } = await launch();
const errors = [];
let failed = false;
try {
  const page = await newWatchedPage(context, errors);

  await page.goto(url);
  step('page loaded');
  await page.waitForFunction(() => window.picket?.store.tracks.size > 0, null, { timeout: TRACK_TIMEOUT_MS });
  await page.waitForSelector('#tracks tbody tr[data-track-id]');
  const first = await page.evaluate(() => Object.fromEntries(
    [...window.picket.store.tracks.values()].map((t) => [t.id, [t.lon, t.lat]])));
  step(`${Object.keys(first).length} tracks on the page`);
  assert.equal(await page.locator('#conn').textContent(), 'live');

  // Tracks move: some track seen at first is later somewhere else.
  await page.waitForFunction((before) => {
    for (const t of window.picket.store.tracks.values()) {
      const b = before[t.id];
      if (b && (b[0] !== t.lon || b[1] !== t.lat)) return true;
    }
    return false;
  }, first, { timeout: TRACK_TIMEOUT_MS });
  step('tracks move');
  // The map drew them: the rAF loop ran and redrew since the tracks arrived.
  const drawn = await page.evaluate(() => ({ draws: window.picket.map.draws, frames: window.picket.map.frames }));
  assert.ok(drawn.draws > 1 && drawn.frames > 1, `map did not draw: ${JSON.stringify(drawn)}`);

  // Selecting a track in the table fills the detail panel.
  await page.locator('#tracks tbody tr[data-track-id]').first().click();
  await page.waitForSelector('#detail h3');
  step(`detail: ${(await page.locator('#detail h3').textContent()).trim()}`);

  // An alert with no track (a ground-sensor or camera detection, track id 0): the panel shows
  // the alert itself, not "Track 0 is gone". The demo's walkers reach the Oecusse ground
  // sensors and camera about 6 scenario minutes in (18 s at --speed 20).
  const ground = page.locator('#alerts li[data-alert-id]', { has: page.locator('.kind', { hasText: 'ground_detection' }) }).first();
  await ground.waitFor({ timeout: ALERT_TIMEOUT_MS });
  const groundId = await ground.getAttribute('data-alert-id');
  const groundAlert = await (await fetch(`${url}api/snapshot`)).json()
    .then((snap) => snap.alerts.find((a) => String(a.properties.alert_id) === groundId));
  assert.ok(groundAlert, `alert ${groundId} is not in the server's snapshot`);
  assert.equal(groundAlert.properties.track_id, 0);
  await page.locator(`#alerts li[data-alert-id="${groundId}"] .msg`).click();
  await page.locator('#detail h3', { hasText: `Alert #${groundId} ` }).waitFor({ timeout: 10000 });
  const field = (name) => page.locator(`#detail dd[data-field="${name}"]`).textContent();
  const detailText = await page.locator('#detail').textContent();
  assert.ok(!/is gone/.test(detailText), `the panel says: ${detailText}`);
  assert.match(await page.locator('#detail h3').textContent(), new RegExp(`Alert #${groundId} .*ground_detection`));
  assert.equal(await field('kind'), 'ground_detection');
  assert.match(await field('sensor'), /^(ugs|camera)$/);
  const [lon, lat] = groundAlert.geometry.coordinates;
  assert.equal(await field('position'), `${Math.abs(lat).toFixed(4)}°S ${lon.toFixed(4)}°E`);
  assert.equal(await field('time'), groundAlert.properties.time);
  assert.match(await field('evidence'), /°S .*°E/);
  step(`alert ${groundId} without a track: ${(await page.locator('#detail h3').textContent()).trim()}, ` +
    `sensor ${await field('sensor')}, ${await field('position')}`);

  // Acknowledge an open alert.
  const open = page.locator('#alerts li[data-state="open"]').first();
  await open.waitFor({ timeout: ALERT_TIMEOUT_MS });
  const alertId = await open.getAttribute('data-alert-id');
  step(`acknowledging alert ${alertId}`);
  // Pin the row by id: `open` re-resolves, and a newer, more severe alert may take first place.
  const row = `#alerts li[data-alert-id="${alertId}"]`;
  await page.locator(row).click(); // selecting it centres the map on it
  await page.locator(`${row} button[data-action="ack"]`).click();
  await page.waitForSelector(`${row}[data-state="acknowledged"]`, { timeout: 15000 });
  step('acknowledged');
  await page.screenshot({ path: `${shots}control_room.png` });

  await page.reload();
  await page.waitForFunction(() => window.picket?.store.tracks.size > 0, null, { timeout: TRACK_TIMEOUT_MS });
  await page.waitForSelector(`${row}[data-state="acknowledged"]`, { timeout: 15000 });
  step('still acknowledged after reload');
  await page.screenshot({ path: `${shots}control_room_reloaded.png` });
  assert.deepEqual(errors, [], 'errors in the page console');
  step('PASS');
} catch (e) {
  failed = true;
  console.error(`[control_room] FAIL: ${e.message}`);
  if (errors.length) console.error(`page errors:\n${errors.join('\n')}`);
} finally {
  await close();
}
process.exit(failed ? 1 : 0);
