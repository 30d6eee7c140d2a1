// Browser test of the control room's feed flags against a running server (PICKET_URL): the
// snapshot's feeds (the demo's are healthy: no flag), then `feed` messages as the server sends
// them when a feed's clock is flagged and cleared (docs/protocol.md), handed to the page's own
// feed handler: the flag appears next to the connection status, and goes. The server side of the
// flag, over real sockets, is tests/e2e/clock_test.cpp.
//   PICKET_URL=http://127.0.0.1:8080/ node tests/browser/feed_flags.mjs
import assert from 'node:assert/strict';
import { guardNetwork, launch, newWatchedPage, serverUrl } from './chromium.mjs';

const url = serverUrl();
const step = (s) => console.log(`[feed_flags] ${s}`);
const { context, close } = await launch();
const offMachine = await guardNetwork(context); // any request leaving this machine fails the test
const errors = [];
let failed = false;
try {
  const page = await newWatchedPage(context, errors);
  await page.goto(url);
  await page.waitForFunction(() => window.picket?.feed.feeds.size > 0, null, { timeout: 30000 });
  const feeds = await page.evaluate(() => [...window.picket.feed.feeds.keys()]);
  step(`snapshot feeds: ${feeds.join(', ')}`);
  assert.equal(await page.locator('#feed-flags').isHidden(), true, 'a healthy demo shows no flag');

  // No seq: the page's store ignores the message's order, so the live picture is not disturbed.
  const send = (data) => page.evaluate((d) => window.picket.feed.handle(JSON.stringify({ topic: 'feed', data: d })), data);
  const clock = (status, measured) => ({ status, measured_offset_s: measured, applied_offset_s: 0, offset_source: 'none' });
  await send({ feed: feeds[0], status: 'ok', last_message: null, clock: clock('ahead', 1559.75) });
  const flag = page.locator('#feed-flags .feed-flag-warn');
  await flag.waitFor({ timeout: 5000 });
  assert.equal(await flag.textContent(), `${feeds[0]}: clock ahead +1559.8 s`);
  step(`flag shown: ${await flag.textContent()}`);
  await send({ feed: feeds[0], status: 'ok', last_message: null, clock: clock('ok', -0.2) });
  await page.waitForSelector('#feed-flags', { state: 'hidden', timeout: 5000 });
  step('flag cleared');
  assert.deepEqual(errors, [], 'errors in the page console');
  assert.deepEqual(offMachine, [], 'requests that left the machine');
  step('PASS');
} catch (e) {
  failed = true;
  console.error(`[feed_flags] FAIL: ${e.message}`);
  if (errors.length) console.error(`page errors:\n${errors.join('\n')}`);
  if (offMachine.length) console.error(`off-machine requests:\n${offMachine.join('\n')}`);
} finally {
  await close();
}
process.exit(failed ? 1 : 0);
