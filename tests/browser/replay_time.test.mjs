// Unit tests of the replay start time between the server and the page's datetime-local input
// (node --test tests/browser/replay_time.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputValueFromIso, isoFromInputValue } from '../../web/src/replay_time.js';

test('a whole minute keeps its seconds: browsers drop ":00" from the input value', () => {
  // Chromium gives "2026-11-25T16:12" for 16:12:00; the server wants RFC 3339 with seconds.
  assert.equal(isoFromInputValue('2026-11-25T16:12'), '2026-11-25T16:12:00Z');
});

test('seconds and fractions of a second', () => {
  assert.equal(isoFromInputValue('2026-11-25T16:12:07'), '2026-11-25T16:12:07Z');
  assert.equal(isoFromInputValue('2026-11-25T16:12:07.250'), '2026-11-25T16:12:07Z');
});

test('an empty or malformed value means "from the start"', () => {
  assert.equal(isoFromInputValue(''), '');
  assert.equal(isoFromInputValue(undefined), '');
  assert.equal(isoFromInputValue('16:12'), '');
  assert.equal(isoFromInputValue('2026-11-25T16:12Z'), '');
});

test('server times fill the input to the second', () => {
  assert.equal(inputValueFromIso('2026-11-25T16:11:38.369Z'), '2026-11-25T16:11:38');
  assert.equal(inputValueFromIso('2026-11-25T16:11:00.000Z'), '2026-11-25T16:11:00');
  assert.equal(inputValueFromIso(null), '');
});

test('round trip: what the page fills in is what it sends', () => {
  const iso = '2026-11-25T23:59:59.999Z';
  assert.equal(isoFromInputValue(inputValueFromIso(iso)), '2026-11-25T23:59:59Z');
});
