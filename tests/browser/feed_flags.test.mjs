// Unit tests of the control room's feed flags (node --test tests/browser/feed_flags.test.mjs):
// what the `feed` topic and the snapshot say about a feed's health (docs/protocol.md) becomes a
// flag next to the connection status: silent, clock ahead / behind, clock corrected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Feed, feedFlags } from '../../web/src/feed.js';

const clock = (status, extra = {}) => ({
  status, measured_offset_s: null, applied_offset_s: 0, offset_source: 'none', ...extra,
});

test('a healthy feed is not flagged', () => {
  assert.deepEqual(feedFlags({ feed: 'ais', status: 'ok', clock: clock('ok', { measured_offset_s: -0.4 }) }), []);
  // Messages from before the clock fields: nothing to say either.
  assert.deepEqual(feedFlags({ feed: 'ais', status: 'ok' }), []);
});

test('a clock ahead or behind is a warning with the measured offset', () => {
  assert.deepEqual(feedFlags({ feed: 'radar-dili', status: 'ok', clock: clock('ahead', { measured_offset_s: 1559.75 }) }),
    [{ level: 'warn', text: 'radar-dili: clock ahead +1559.8 s' }]);
  assert.deepEqual(feedFlags({ feed: 'cam', status: 'ok', clock: clock('behind', { measured_offset_s: -12 }) }),
    [{ level: 'warn', text: 'cam: clock behind -12.0 s' }]);
});

test('a corrected clock is information; a silent feed a warning', () => {
  assert.deepEqual(
    feedFlags({ feed: 'radar', status: 'silent', clock: clock('corrected', { applied_offset_s: 1560, offset_source: 'learned' }) }),
    [{ level: 'warn', text: 'radar: silent' }, { level: 'info', text: 'radar: clock corrected, learned offset +1560.0 s' }]);
});

test('the feed keeps the latest health per feed, from the snapshot and the feed topic', () => {
  const applied = [];
  const feed = new Feed({ apply: (topic, data) => applied.push([topic, data.seq]) });
  const seen = [];
  feed.onFeedHealth = (feeds) => seen.push([...feeds.values()].flatMap(feedFlags).map((f) => f.text));
  feed.handle(JSON.stringify({ topic: 'snapshot', data: { seq: 5, tracks: [], alerts: [], feeds: [
    { feed: 'ais', status: 'ok', clock: clock('ok') },
    { feed: 'radar', status: 'ok', clock: clock('ahead', { measured_offset_s: 1559.75 }) }] } }));
  feed.handle(JSON.stringify({ topic: 'feed', data: { seq: 6, feed: 'radar', status: 'ok', clock: clock('ok') } }));
  assert.deepEqual(seen, [['radar: clock ahead +1559.8 s'], []]);
  // The store still sees every message (its sequence numbers find gaps).
  assert.deepEqual(applied, [['snapshot', 5], ['feed', 6]]);
});
