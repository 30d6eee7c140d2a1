// Browser test of the control room's replay against a running `picket demo` (PICKET_URL; starts
// nothing): the operator chooses the demo's own recording (the only one /api/recordings lists:
// the server's outputs.recording) and a start time on a whole minute, plays at 5x and sees the
// tracks in the table and their positions move while the replay clock runs from that time;
// pauses and the clock stops; resumes, changes the speed to 20x and the clock runs faster; goes
// back to live. Everything asserted is on the page as the operator sees it: the header clock,
// the mode, the panel's state, the track table and the selected track's position.
//   PICKET_URL=http://127.0.0.1:8080/ node tests/browser/replay.mjs
// Screenshots go to web/test-results/ (git-ignored).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { guardNetwork, launch, newWatchedPage, serverUrl } from './chromium.mjs';

const url = serverUrl();
const shots = new URL('../../web/test-results/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });
const TIMEOUT_MS = Number(process.env.PICKET_REPLAY_TIMEOUT_MS ?? 60000);
// Recorded seconds the demo's recording must hold before the test plays it. The replay reads
// what was recorded when Play was pressed: the start (up to 90 s in) plus what the steps below
// consume (about 150 s at 5x then 20x) must fit.
const MIN_SPAN_S = Number(process.env.PICKET_REPLAY_SPAN_S ?? 360);
const SLOW = 5;
const FAST = 20;

const step = (s) => console.log(`[replay] ${s}`);
const seconds = (iso) => Date.parse(iso) / 1000;
/** The header clock "2026-11-25 16:12:06Z" in seconds, or NaN when it is empty. */
const clockSeconds = (text) => (text ? seconds(text.replace(' ', 'T')) : NaN);
const isoMinute = (s) => new Date(s * 1000).toISOString().slice(0, 16); // what the input holds

async function recordingSpan(deadline) {
  for (;;) {
    const list = await (await fetch(`${url}api/recordings`)).json();
    const r = list[0];
    if (r && seconds(r.to) - seconds(r.from) >= MIN_SPAN_S) return r;
    if (Date.now() > deadline) throw new Error(`no recording of ${MIN_SPAN_S} s: ${JSON.stringify(list)}`);
    await new Promise((done) => { setTimeout(done, 500); });
  }
}

const { context, close } = await launch();
const offMachine = await guardNetwork(context); // any request leaving this machine fails the test
const errors = [];
let failed = false;
try {
  const page = await newWatchedPage(context, errors);
  // Every text the header clock shows, with when it showed it: the clock is what the operator
  // reads, and a sample per change is enough to measure its rate.
  await page.addInitScript(() => {
    window.clockLog = [];
    document.addEventListener('DOMContentLoaded', () => {
      const el = document.getElementById('clock');
      // The page rewrites the clock every 250 ms: log changes only.
      new MutationObserver(() => {
        if (el.textContent !== window.clockLog.at(-1)?.text) window.clockLog.push({ at: performance.now(), text: el.textContent });
      }).observe(el, { childList: true, characterData: true, subtree: true });
    });
  });
  const clock = page.locator('#clock');
  const panel = page.locator('#replay');
  const panelState = panel.locator('.replay-state');
  const rows = page.locator('#tracks tbody tr[data-track-id]');

  await page.goto(url);
  await rows.first().waitFor({ timeout: TIMEOUT_MS });
  assert.equal(await page.locator('#mode').textContent(), 'LIVE');
  step('live picture on the page');

  // The recording: the demo's own, once it holds enough to replay.
  const rec = await recordingSpan(Date.now() + TIMEOUT_MS);
  // The list was fetched when the page loaded; it is fetched again when the operator reaches for
  // it, and then shows the recording's new end.
  const option = panel.locator(`[name="recording"] option[value="${rec.name}"]`);
  const labelAtLoad = await option.textContent();
  await panel.locator('[name="recording"]').focus();
  await page.waitForFunction(([name, old]) => {
    const o = document.querySelector(`#replay [name="recording"] option[value="${name}"]`);
    return o && o.textContent !== old;
  }, [rec.name, labelAtLoad], { timeout: 10000 });
  await panel.locator('[name="recording"]').selectOption(rec.name);
  step(`recording "${await option.textContent()}" (was "${labelAtLoad}" when the page loaded)`);

  // A start time on a whole minute, as an operator types it: the browser then drops the seconds
  // from the input's value ("…T16:12"), which the page must still send as a valid time.
  const startS = Math.ceil((seconds(rec.from) + 30) / 60) * 60;
  await panel.locator('[name="from"]').fill(isoMinute(startS));
  await panel.locator('[name="speed"]').selectOption(String(SLOW));
  // Forget the live clock at the moment of the click (the page's own handler runs after this).
  await page.evaluate(() => document.addEventListener('click', () => { window.clockLog.length = 0; },
    { capture: true, once: true }));
  const playedAt = Date.now();
  await panel.locator('[data-action="play"]').click();
  await page.waitForFunction(() => document.getElementById('conn').textContent === 'replay', null, { timeout: 10000 });
  assert.equal(await page.locator('#mode').textContent(), 'REPLAY');
  assert.equal(await panelState.textContent(), `playing ${SLOW}×`);
  step(`playing from ${isoMinute(startS)} at ${SLOW}x`);

  // The clock runs from the start time (well before the live time), and tracks come back as
  // the replayed tracker confirms them.
  await page.waitForFunction(([lo, hi]) => {
    const t = Date.parse(document.getElementById('clock').textContent.replace(' ', 'T')) / 1000;
    return t >= lo && t <= hi;
  }, [startS + 5, seconds(rec.to)], { timeout: TIMEOUT_MS });
  await rows.first().waitFor({ timeout: TIMEOUT_MS });
  // Since Play the clock has shown the replay's time only: from the start time on, never
  // backwards (not 1970 before the first track, not the live time from a late live message).
  // It cannot have run much more than 5x since Play either (the live time is minutes ahead).
  // And the page is still replaying: a refused start time would have sent it back to live.
  const shown = (await page.evaluate(() => window.clockLog.map((c) => c.text))).filter(Boolean);
  const latest = startS + 30 + 2 * SLOW * (Date.now() - playedAt) / 1000;
  const wrong = shown.filter((t, i) => clockSeconds(t) < startS || clockSeconds(t) > latest || (i > 0 && t < shown[i - 1]));
  assert.deepEqual(wrong, [], `the replay clock (from ${isoMinute(startS)}) showed ${shown.join(', ')}`);
  assert.equal(await page.locator('#mode').textContent(), 'REPLAY');
  assert.equal(await panelState.textContent(), `playing ${SLOW}×`);
  step(`${await rows.count()} tracks in the table, clock ${await clock.textContent()}`);

  // A moving track: the fastest vessel (a fresh tracker's fastest track of all is often a
  // tentative one that is soon deleted), selected in the table; its position changes.
  await page.locator('#track-filter').fill('vessel');
  await page.locator('#tracks th[data-key="speed"]').click(); // fastest first
  const position = page.locator('#detail dd[data-field="position"]');
  let moved = null;
  for (let attempt = 0; attempt < 3 && !moved; attempt++) {
    // The table refreshes every second and re-sorts by speed: dispatch the click on the row
    // that is first now rather than wait for a row that holds still.
    await rows.first().dispatchEvent('click');
    await position.waitFor({ timeout: 10000 });
    const selected = (await page.locator('#detail h3').textContent()).trim();
    const before = await position.textContent();
    const outcome = await page.waitForFunction((b) => {
      const dd = document.querySelector('#detail dd[data-field="position"]');
      return !dd ? 'gone' : dd.textContent !== b ? 'moved' : false;
    }, before, { timeout: TIMEOUT_MS });
    if ((await outcome.jsonValue()) === 'moved') moved = `${selected} moved: ${before} -> ${await position.textContent()}`;
    else step(`${selected} was deleted; choosing again`);
  }
  assert.ok(moved, 'no vessel in the table moved');
  step(moved);
  assert.ok((await page.locator('#map').boundingBox()).width > 0);
  await page.screenshot({ path: `${shots}replay_playing.png` });

  /** Clock seconds per wall second, from the clock's own changes over `advanceS` of replay. */
  // The replay clock's rate in scenario seconds per wall second: the least-squares slope over
  // every change seen while it advanced by `advanceS` (one late or bunched update on a loaded
  // machine moves a two-point estimate by a factor of two; the slope hardly).
  async function clockRate(advanceS) {
    const from = await page.evaluate(() => window.clockLog.length);
    const first = await page.evaluate(() => window.clockLog.filter((c) => c.text).at(-1));
    await page.waitForFunction(([t0, adv]) => {
      return window.clockLog.some((c) => c.text && Date.parse(c.text.replace(' ', 'T')) / 1000 >= t0 + adv);
    }, [clockSeconds(first.text), advanceS], { timeout: TIMEOUT_MS });
    const seen = (await page.evaluate((n) => window.clockLog.slice(n), from)).filter((c) => c.text);
    const points = [first, ...seen].map((c) => [c.at / 1000, clockSeconds(c.text)]);
    const mean = (k) => points.reduce((sum, p) => sum + p[k], 0) / points.length;
    const [mx, my] = [mean(0), mean(1)];
    const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
    const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
    return sxy / sxx;
  }
  const slowRate = await clockRate(20);
  step(`clock at ${SLOW}x: ${slowRate.toFixed(2)} s per s`);

  // Pause: the clock stops. Wait until it has stood still for a second (what was in flight has
  // arrived), then watch it for long enough that 5x would have moved it by 10 s or more.
  await panel.locator('[data-action="pause"]').click();
  assert.equal(await panelState.textContent(), 'paused');
  await page.waitForFunction(() => performance.now() - (window.clockLog.at(-1)?.at ?? 0) > 1000, null,
    { timeout: 15000, polling: 100 });
  const pausedAt = await clock.textContent();
  const pausedPosition = await position.textContent();
  const watchFrom = await page.evaluate(() => window.clockLog.length);
  await page.waitForTimeout(2500); // the observation window of "nothing changes"
  const changed = await page.evaluate((n) => window.clockLog.slice(n).map((c) => c.text), watchFrom);
  assert.deepEqual(changed, [], `the clock moved while paused at ${pausedAt}`);
  assert.equal(await clock.textContent(), pausedAt);
  assert.equal(await position.textContent(), pausedPosition, 'a track moved while paused');
  step(`paused at ${pausedAt}`);

  // Resume where it stopped (not from the start time), then change the speed while playing.
  await panel.locator('[data-action="play"]').click();
  assert.equal(await panelState.textContent(), `playing ${SLOW}×`);
  await page.waitForFunction((p) => document.getElementById('clock').textContent > p, pausedAt, { timeout: TIMEOUT_MS });
  await panel.locator('[name="speed"]').selectOption(String(FAST));
  assert.equal(await panelState.textContent(), `playing ${FAST}×`);
  const fastRate = await clockRate(60);
  step(`clock at ${FAST}x: ${fastRate.toFixed(2)} s per s`);
  const resumed = (await page.evaluate((n) => window.clockLog.slice(n).map((c) => c.text), watchFrom)).filter(Boolean);
  assert.ok(resumed.every((t) => t >= pausedAt), `the clock went back after resuming: ${resumed.find((t) => t < pausedAt)}`);
  // 4x nominal; 1.5x leaves room for a loaded machine that cannot keep up at 20x, and still fails
  // when the speed change is ignored (1x).
  assert.ok(fastRate > 1.5 * slowRate, `the clock did not run faster at ${FAST}x: ${fastRate} vs ${slowRate} s/s`);
  assert.notEqual(await panelState.textContent(), 'ended', 'the replay ran out of recording');
  await page.screenshot({ path: `${shots}replay_fast.png` });

  // Back to live: the live picture and the live clock (later than anything replayed).
  const replayedTo = clockSeconds(await clock.textContent());
  await panel.locator('[data-action="live"]').click();
  await page.waitForFunction(() => document.getElementById('conn').textContent === 'live', null, { timeout: 10000 });
  assert.equal(await page.locator('#mode').textContent(), 'LIVE');
  assert.equal(await panelState.textContent(), '');
  // The table holds the live tracks if the scenario still has any: on a loaded machine its
  // 2.2 min of wall time may be over by now, and its tracks with it.
  const liveTracks = (await (await fetch(`${url}api/snapshot`)).json()).tracks.length;
  if (liveTracks > 0) await rows.first().waitFor({ timeout: TIMEOUT_MS });
  await page.waitForFunction((t) => Date.parse(document.getElementById('clock').textContent.replace(' ', 'T')) / 1000 > t,
    seconds(rec.to), { timeout: TIMEOUT_MS });
  assert.ok(clockSeconds(await clock.textContent()) > replayedTo);
  step(`live again: ${await rows.count()} tracks, clock ${await clock.textContent()}`);

  // Only a listed recording can be replayed: the name is checked, not ignored.
  const refusal = await page.evaluate(() => new Promise((done) => {
    const ws = new WebSocket(`ws://${location.host}/ws/replay?name=no-such-recording&speed=5`);
    ws.onmessage = (ev) => { done(ev.data); ws.close(); };
    ws.onclose = () => done('closed without a message');
  }));
  assert.match(refusal, /"topic":"error".*no recording named 'no-such-recording'/);
  step('an unlisted recording is refused');
  assert.deepEqual(errors, [], 'errors in the page console');
  assert.deepEqual(offMachine, [], 'requests that left the machine');
  step('PASS');
} catch (e) {
  failed = true;
  console.error(`[replay] FAIL: ${e.stack ?? e.message}`);
  if (errors.length) console.error(`page errors:\n${errors.join('\n')}`);
} finally {
  await close();
}
process.exit(failed ? 1 : 0);
