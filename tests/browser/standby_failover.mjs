// Browser test of the control room across a hot-standby failover (issue 16; docs/deployment.md,
// "Hot standby"): a primary and its standby on the demo's Timor scene (tests/browser/
// standby_pair.mjs: own ports, own files), the page open on the primary's web address with
// tracks and alerts live. An operator acknowledges an incident on the page; at the next new
// incident (the scene raises them a few seconds apart) the primary is killed with SIGKILL. The
// page must come back by itself on the same URL, now served by the standby, within the failover
// goal (5 s) plus the page's longest reconnection wait (feed.maxRetryMs), and then show: the same
// track ids for the same vessels, every incident it showed before (none lost), none twice (no
// incident raised again under another id), the acknowledgement still there, and the picture
// live (tracks moving, new incidents arriving, a command answered by the standby).
//   PICKET_BINARY=build/release/src/picket node tests/browser/standby_failover.mjs
// Env: PICKET_STANDBY_SPEED (2), PICKET_PAGE_MAX_RETRY_MS (the page's own), PICKET_KEEP_LOGS=1
// keeps the servers' logs and files.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { guardNetwork, launch, newWatchedPage } from './chromium.mjs';
import { startPair } from './standby_pair.mjs';

const binary = process.env.PICKET_BINARY;
if (!binary) {
  console.error('PICKET_BINARY is not set (the built picket executable)');
  process.exit(2);
}
// 2x: the sensors' reports of the failover (the 2 s lease and the takeover, which no server
// hears) are 5-8 s of the scene, about what a failover at real time loses with its radars' 4-5 s
// sweeps. At 10x they were 25-40 s, and the tracker then drops most radar-held tracks at the first
// sweep after the takeover and starts new ones (it books the sweeps of the gap as missed looks):
// a plain server does the same after a 25 s radar outage (issue 16's notes have the figures).
const speed = Number(process.env.PICKET_STANDBY_SPEED ?? 2);
const FAILOVER_GOAL_S = 5; // issue 16: the standby serves within 5 s of the kill
const shots = new URL('../../web/test-results/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });
const step = (s) => console.log(`[standby_failover] ${s}`);

/** What the page's feed received, recorded in the page: every alert message and status change. */
function recordFeed() {
  const feed = window.picket.feed;
  window.seen = { alerts: [], status: [], tracksAfter: 0, killedAt: null };
  const handle = feed.handle.bind(feed);
  feed.handle = (line) => {
    try {
      const m = JSON.parse(line);
      const at = Date.now();
      if (m.topic === 'snapshot') {
        for (const a of m.data.alerts ?? []) {
          const p = a.properties;
          window.seen.alerts.push({ id: p.alert_id, change: 'snapshot', rule: p.rule, track: p.track_id, state: p.state, at });
        }
      }
      if (m.topic === 'snapshot' && window.seen.killedAt && !window.seen.rawSnapshotAfter) {
        window.seen.rawSnapshotAfter = m.data; // the standby's picture as the page first gets it
      }
      if (m.topic === 'alert') {
        const p = m.data.properties;
        window.seen.alerts.push({ id: p.alert_id, change: p.change, rule: p.rule, track: p.track_id, state: p.state, at });
      } else if (m.topic === 'track' && window.seen.rawSnapshotAfter) {
        window.seen.tracksAfter++;
        window.seen.firstTrackAfter ??= at;
      }
    } catch { /* the feed itself ignores what does not parse */ }
    handle(line);
  };
  const onStatus = feed.onStatus;
  feed.onStatus = (s) => {
    window.seen.status.push({ s, at: Date.now() });
    onStatus(s);
  };
}

/** mmsi -> track id of the AIS vessels the page shows. */
const vesselTracks = (page) => page.evaluate(() => Object.fromEntries(
  [...window.picket.store.tracks.values()].filter((t) => t.p.mmsi).map((t) => [t.p.mmsi, t.id])));

const pair = await startPair({ binary, speed });
step(`primary and standby up at ${pair.url} (files in ${pair.dir})`);
const { context, close } = await launch();
const offMachine = await guardNetwork(context);
const errors = [];
let failed = false;
try {
  const page = await newWatchedPage(context, errors);
  await page.goto(pair.url);
  await page.waitForFunction(() => window.picket?.feed, null, { timeout: 30000 });
  await page.evaluate(recordFeed);
  await page.waitForFunction(() => window.picket.store.tracks.size > 0, null, { timeout: 60000 });
  assert.equal(await page.locator('#conn').textContent(), 'live');
  step(`page live on the primary, ${await page.evaluate(() => window.picket.store.tracks.size)} tracks ` +
    `(the simulator ${pair.simOffsetS.toFixed(2)} s off the server's clock)`);

  // PICKET_PAGE_MAX_RETRY_MS: the page's longest reconnection wait, to measure another.
  if (process.env.PICKET_PAGE_MAX_RETRY_MS) {
    await page.evaluate((ms) => { window.picket.feed.maxRetryMs = ms; }, Number(process.env.PICKET_PAGE_MAX_RETRY_MS));
  }

  // An operator acknowledges the first open incident on the page.
  const open = page.locator('#alerts li[data-state="open"]').first();
  await open.waitFor({ timeout: 120000 });
  const ackedId = await open.getAttribute('data-alert-id');
  const row = `#alerts li[data-alert-id="${ackedId}"]`;
  await page.locator(`${row} button[data-action="ack"]`).click();
  await page.waitForSelector(`${row}[data-state="acknowledged"]`, { timeout: 15000 });
  step(`incident ${ackedId} acknowledged on the page`);

  // Kill -9 the primary when the next new incident reaches the page: in the middle of a burst.
  const known = await page.evaluate(() => window.picket.store.alerts.size + window.picket.store.closedAlerts.size);
  await page.waitForFunction((n) => window.picket.store.alerts.size + window.picket.store.closedAlerts.size > n,
    known, { timeout: 180000 });
  const before = await page.evaluate(() => ({
    alerts: [...window.picket.store.alerts.keys()],
    closed: [...window.picket.store.closedAlerts.keys()],
  }));
  const tracksBefore = await vesselTracks(page);
  pair.primary.kill('SIGKILL');
  const killedAt = Date.now();
  await page.evaluate((t) => {
    window.seen.killedAt = t;
    window.seen.timeAtKill = window.picket.store.time; // the picture's time (virtual) at the kill
  }, killedAt);
  step(`primary killed (SIGKILL) with ${before.alerts.length} incidents open or acknowledged on the page`);

  // The page reconnects by itself: 'live' again after the kill, on the same URL.
  const maxRetryMs = await page.evaluate(() => window.picket.feed.maxRetryMs);
  const live = await page.waitForFunction((t) => {
    const s = window.seen.status;
    const down = s.findIndex((e) => e.at >= t && e.s !== 'live');
    const up = down >= 0 && s.slice(down).find((e) => e.s === 'live');
    return up ? up.at : false;
  }, killedAt, { timeout: 30000 });
  const reconnectS = ((await live.jsonValue()) - killedAt) / 1000;
  await page.waitForFunction(() => window.seen.tracksAfter > 0, null, { timeout: 10000 });
  const firstTrackS = ((await page.evaluate(() => window.seen.firstTrackAfter)) - killedAt) / 1000;
  assert.ok(readFileSync(pair.logs.standby, 'utf8').includes('standby: now the primary'),
    'the page is live again, but the standby never took over');
  step(`page live again after ${reconnectS.toFixed(2)} s, first track update from the standby ${firstTrackS.toFixed(2)} s after the kill ` +
    `(goal ${FAILOVER_GOAL_S} s + the page's reconnection wait <= ${maxRetryMs / 1000} s)`);
  assert.ok(reconnectS <= FAILOVER_GOAL_S + maxRetryMs / 1000, `page live again ${reconnectS.toFixed(2)} s after the kill`);

  // Live: a new incident raised by the standby reaches the page, tracks move.
  const beforeIds = new Set([...before.alerts, ...before.closed]);
  await page.waitForFunction((ids) => [...window.picket.store.alerts.keys()].some((id) => !ids.includes(id)),
    [...beforeIds], { timeout: 180000 });
  step('a new incident from the standby reached the page');
  await page.waitForTimeout(2000); // the standby's re-announcement (1 s after the takeover) is in

  // The same track ids for the same vessels, in the standby's picture as the page first got it
  // from the standby. No vessel may get a new track: the radar sweeps of the lease, which no
  // server heard, are a silence of the radar and no looks (docs/tracking.md, step 10); before that
  // rule 19 of 24 vessels came back under new ids at --speed 10 (PICKET_STANDBY_SPEED). A vessel
  // under another id is either a track the standby deleted and restarted (born after the kill)
  // or a standby whose picture differed from the primary's (born before it): both fail.
  const taken = await page.evaluate(() => window.seen.rawSnapshotAfter);
  const byId = new Map(taken.tracks.map((t) => [t.properties.track_id, t.properties]));
  const atTakeover = Object.fromEntries(taken.tracks.filter((t) => t.properties.mmsi)
    .map((t) => [t.properties.mmsi, t.properties.track_id]));
  const killedTime = await page.evaluate(() => window.seen.timeAtKill);
  const common = Object.keys(tracksBefore).filter((m) => m in atTakeover);
  const changed = common.filter((m) => tracksBefore[m] !== atTakeover[m]);
  const reborn = changed.filter((m) => !byId.has(tracksBefore[m]) && byId.get(atTakeover[m]).born > killedTime);
  step(`${common.length - changed.length} of ${common.length} vessels kept their track id across the failover, ` +
    `${reborn.length} got a new track after the takeover (${reborn.map((m) => `${tracksBefore[m]}->${atTakeover[m]}`).join(', ')})`);
  assert.ok(common.length >= 5, `only ${common.length} vessels on the page before and after`);
  assert.deepEqual(changed.map((m) => [m, tracksBefore[m], atTakeover[m], reborn.includes(m) ? 'reborn' : 'other']), [],
    'vessels under another track id in the standby\'s picture (mmsi, before, after)');

  // None lost: every incident open or acknowledged before the kill is still in the list
  // (unless the standby closed it since, which the page then saw).
  const seen = await page.evaluate(() => window.seen);
  const closedSince = new Set(seen.alerts.filter((a) => a.at > killedAt && a.state === 'closed').map((a) => a.id));
  const now = await page.evaluate(() => [...window.picket.store.alerts.keys()]);
  const lost = before.alerts.filter((id) => !now.includes(id) && !closedSince.has(id));
  assert.deepEqual(lost, [], 'incidents the page showed before the kill and lost after it');
  // None twice: one row per incident, and no incident raised again under another id (one new
  // incident per rule and track over the whole run).
  const rows = await page.locator('#alerts li[data-alert-id]').evaluateAll((els) => els.map((e) => e.dataset.alertId));
  assert.equal(new Set(rows).size, rows.length, `an incident twice in the list: ${rows}`);
  // Every incident the page was told of (snapshots and messages), by rule and track: one event
  // raised again under another id (by the standby, for one the primary had raised) is two ids.
  const ids = new Map();
  for (const a of seen.alerts) {
    const key = `${a.rule}/track ${a.track}`;
    if (!ids.has(key)) ids.set(key, new Set());
    ids.get(key).add(a.id);
  }
  const twice = [...ids].filter(([, set]) => set.size > 1).map(([key, set]) => `${key}: ${[...set]}`);
  assert.deepEqual(twice, [], 'one event raised twice under two ids');
  const raisedTwice = seen.alerts.filter((a) => a.change === 'raised').map((a) => a.id)
    .filter((id, i, all) => all.indexOf(id) !== i);
  assert.deepEqual(raisedTwice, [], 'an incident announced as raised twice');
  step(`${ids.size} incidents over the run (${seen.alerts.filter((a) => a.at > killedAt && a.change === 'raised').length} ` +
    `raised after the kill, ${seen.alerts.filter((a) => a.change === 'restored').length} restored), ${now.length} in the list, none lost, none twice`);

  // The acknowledgement made before the kill is still there, and the standby takes commands
  // from the same page (same token).
  await page.waitForSelector(`${row}[data-state="acknowledged"]`, { timeout: 5000 });
  const next = page.locator('#alerts li[data-state="open"]').first();
  await next.waitFor({ timeout: 60000 });
  const nextId = await next.getAttribute('data-alert-id');
  await page.locator(`#alerts li[data-alert-id="${nextId}"] button[data-action="ack"]`).click();
  await page.waitForSelector(`#alerts li[data-alert-id="${nextId}"][data-state="acknowledged"]`, { timeout: 15000 });
  const held = (await (await fetch(`${pair.url}api/snapshot`)).json()).alerts;
  const state = (id) => held.find((a) => String(a.properties.alert_id) === String(id))?.properties.state;
  assert.equal(state(ackedId), 'acknowledged', `incident ${ackedId} in the standby's snapshot`);
  assert.equal(state(nextId), 'acknowledged', `incident ${nextId} in the standby's snapshot`);
  step(`incident ${ackedId} still acknowledged; incident ${nextId} acknowledged on the standby from the same page`);
  await page.screenshot({ path: `${shots}standby_failover.png` });

  // The refused WebSocket connections while no server listened are the browser's own console
  // errors; any other is the page's.
  const pageErrors = errors.filter((e) => !/WebSocket connection to .* failed/.test(e));
  assert.deepEqual(pageErrors, [], 'errors in the page console');
  assert.deepEqual(offMachine, [], 'requests that left the machine');
  step('PASS');
} catch (e) {
  failed = true;
  console.error(`[standby_failover] FAIL: ${e.stack ?? e.message}`);
  if (errors.length) console.error(`page errors:\n${errors.join('\n')}`);
  for (const [name, log] of Object.entries(pair.logs)) {
    try {
      const text = readFileSync(log, 'utf8');
      console.error(`---- ${name} log (tail) ----\n${text.split('\n').slice(-25).join('\n')}`);
    } catch { /* not started */ }
  }
} finally {
  await close();
  await pair.stop();
}
process.exit(failed ? 1 : 0);
