// Unit tests of the intercept geometry (node --test tests/browser/intercept.test.mjs).
// Expected values are hand-computed from |p + v t| = s t.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeIntercept, interceptTime, nearestAsset, toLocal, fromLocal, EARTH_RADIUS_M,
} from '../../web/src/intercept.js';

const close = (a, b, tol, msg) => assert.ok(Math.abs(a - b) <= tol, `${msg}: ${a} vs ${b}`);

test('stationary target: straight run at full speed', () => {
  close(interceptTime(0, 1000, 0, 0, 10), 100, 1e-9, 't');
});

test('crossing target: 3-4-5 triangle', () => {
  // Target 1000 m east heading north at 6 m/s, asset 10 m/s: 1e6 + 36 t^2 = 100 t^2 -> t = 125 s,
  // meeting at (1000, 750): course atan2(1000, 750) = 53.130 deg, distance 1250 m.
  const asset = { lat: -9, lon: 125, max_speed_mps: 10 };
  const east = fromLocal(asset, 1000, 0);
  const r = computeIntercept(asset, { ...east, east_mps: 0, north_mps: 6 });
  assert.equal(r.ok, true);
  close(r.time_s, 125, 1e-6, 'time');
  close(r.course_deg, 53.13010235, 1e-6, 'course');
  close(r.distance_m, 1250, 1e-6, 'distance');
  const meet = toLocal(asset, r.point);
  close(meet.east_m, 1000, 1e-6, 'east');
  close(meet.north_m, 750, 1e-6, 'north');
});

test('head-on target closes at the sum of speeds', () => {
  // 3000 m north coming south at 5 m/s, asset 10 m/s: 3000 / 15 = 200 s.
  close(interceptTime(0, 3000, 0, -5, 10), 200, 1e-9, 't');
});

test('equal speeds: only a closing target can be caught', () => {
  close(interceptTime(0, 1000, 0, -10, 10), 50, 1e-9, 'closing');
  assert.equal(interceptTime(0, 1000, 0, 10, 10), null);
});

test('faster target running away: no intercept, and the reason says so', () => {
  const asset = { lat: -9, lon: 125, max_speed_mps: 5 };
  const north = fromLocal(asset, 0, 2000);
  const r = computeIntercept(asset, { ...north, east_mps: 0, north_mps: 12 });
  assert.equal(r.ok, false);
  assert.match(r.reason, /no intercept/);
});

test('faster target coming towards the asset can still be met', () => {
  // 1000 m north moving south at 20 m/s, asset 5 m/s: 1000 / 25 = 40 s (smallest root).
  close(interceptTime(0, 1000, 0, -20, 5), 40, 1e-9, 't');
});

test('local frame: one degree of latitude is R * pi / 180', () => {
  const p = toLocal({ lat: 0, lon: 0 }, { lat: 1, lon: 0 });
  close(p.north_m, EARTH_RADIUS_M * Math.PI / 180, 1e-6, 'north');
  const wrap = toLocal({ lat: 0, lon: 179.5 }, { lat: 0, lon: -179.5 });
  close(wrap.east_m, EARTH_RADIUS_M * Math.PI / 180, 1e-6, 'antimeridian');
});

test('nearest asset is the one that arrives first, skipping unavailable ones', () => {
  const target = { lat: -9, lon: 125, east_mps: 0, north_mps: 0 };
  const near = { id: 'near', ...fromLocal(target, 0, 5000), max_speed_mps: 5, available: true };
  const fast = { id: 'fast', ...fromLocal(target, 0, 9000), max_speed_mps: 20, available: true };
  const off = { id: 'off', ...fromLocal(target, 0, 100), max_speed_mps: 20, available: false };
  // near: 1000 s; fast: 450 s; off would be 5 s but is not available.
  assert.equal(nearestAsset([near, fast, off], target).asset.id, 'fast');
  assert.equal(nearestAsset([off], target), null);
});
