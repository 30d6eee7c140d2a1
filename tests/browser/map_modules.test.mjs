// Unit tests of the map's pure modules (node --test tests/browser/map_modules.test.mjs): label
// decluttering, range and bearing (against a sphere and against hand-checked values), the
// graticule (and the area it is made for), the glyph protobuf encoding, the APP-6D symbol codes, which trails are drawn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { placeLabels, overlapFree } from '../../web/src/map/declutter.js';
import { encodeGlyphs } from '../../web/src/map/glyph_pbf.js';
import { graticule, graticuleCover, graticuleCovers, graticuleStep, graticuleLabel } from '../../web/src/map/graticule.js';
import { sidcFor, symbolIndex, SYMBOL_COUNT, STANDINGS, CLASSES } from '../../web/src/map/sidc.js';
import { evidenceFeatures, bboxOf } from '../../web/src/map/evidence.js';
import { spansAtLeast } from '../../web/src/map/track_layer.js';
import { TRAIL_POINTS } from '../../web/src/store.js';

// The page loads GeographicLib as a classic script (global `geodesic`); so does this test.
globalThis.geodesic = createRequire(import.meta.url)('../../web/node_modules/geographiclib-geodesic/geographiclib-geodesic.js');
const { rangeBearing, rangeBearingSphere, formatRangeBearing, formatPosition } = await import('../../web/src/map/geodesy.js');

const close = (a, b, tol, msg) => assert.ok(Math.abs(a - b) <= tol, `${msg}: ${a} vs ${b}`);

test('declutter: a dense cluster gets some labels, none overlapping, most important first', () => {
  const cands = [];
  for (let i = 0; i < 500; i++) cands.push({ id: i, x: 200 + (i % 25) * 4, y: 200 + Math.floor(i / 25) * 4, w: 60, h: 13 });
  const placed = placeLabels(cands, 800, 600, { symbolRadius: 10 });
  assert.ok(placed.length > 3 && placed.length < 60, `placed ${placed.length} of 500`);
  assert.ok(overlapFree(placed));
  assert.equal(placed[0].id, 0, 'the first candidate always gets its label');
  for (const c of placed) {
    assert.ok(c.box[0] >= 0 && c.box[1] >= 0 && c.box[2] <= 800 && c.box[3] <= 600, 'inside the screen');
  }
});

test('declutter: spread-out tracks all get labels; symbols are obstacles', () => {
  const cands = [];
  for (let i = 0; i < 40; i++) cands.push({ id: i, x: 50 + (i % 8) * 90, y: 50 + Math.floor(i / 8) * 60, w: 40, h: 13 });
  assert.equal(placeLabels(cands, 800, 600).length, 40);
  // A label to the right of A would cover symbol B: it goes elsewhere (left).
  const a = { id: 1, x: 100, y: 100, w: 50, h: 13 };
  const b = { id: 2, x: 140, y: 100, w: 50, h: 13 };
  const placed = placeLabels([a], 800, 600, { symbolRadius: 10, symbols: [a, b] });
  assert.equal(placed.length, 1);
  assert.ok(placed[0].box[2] <= 100, `label box ${placed[0].box} should be left of its symbol`);
});

test('declutter: at most `max` labels', () => {
  const cands = [];
  for (let i = 0; i < 2000; i++) cands.push({ id: i, x: (i * 37) % 1600, y: (i * 53) % 1000, w: 8, h: 8 });
  assert.equal(placeLabels(cands, 1600, 1000, { symbolRadius: 2, max: 100 }).length, 100);
});

test('range and bearing: WGS84 geodesic, checked values and the sphere within 0.7 %', () => {
  // One degree of latitude at the equator on WGS84: 110,574.4 m (a standard table value).
  close(rangeBearing({ lat: 0, lon: 0 }, { lat: 1, lon: 0 }).distance_m, 110574.4, 0.5, 'equator 1 deg lat');
  close(rangeBearing({ lat: 0, lon: 0 }, { lat: 1, lon: 0 }).bearing_deg, 0, 1e-9, 'due north');
  // One degree of longitude on the equator: a * pi / 180 = 111,319.49 m, due east.
  const e = rangeBearing({ lat: 0, lon: 10 }, { lat: 0, lon: 11 });
  close(e.distance_m, 111319.49, 0.01, 'equator 1 deg lon');
  close(e.bearing_deg, 90, 1e-9, 'due east');
  close(rangeBearing({ lat: -8.5, lon: 125.6 }, { lat: -8.5, lon: 125.5 }).bearing_deg, 270, 0.01, 'due west');
  close(rangeBearing({ lat: -8.5, lon: 125.6 }, { lat: -8.6, lon: 125.6 }).bearing_deg, 180, 1e-9, 'due south');
  // Across the antimeridian: the short way.
  close(rangeBearing({ lat: -17, lon: 179.9 }, { lat: -17, lon: -179.9 }).distance_m, 21300, 100, 'antimeridian');
  // Random pairs in the region: the sphere (the plain reference) agrees to 0.7 % (the mean
  // radius against the meridian's 6,335 km near the equator) and 0.5 deg.
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < 200; i++) {
    const a = { lat: -12 + rnd() * 20, lon: 95 + rnd() * 45 };
    const b = { lat: a.lat + (rnd() - 0.5) * 4, lon: a.lon + (rnd() - 0.5) * 4 };
    const g = rangeBearing(a, b);
    const s = rangeBearingSphere(a, b);
    close(s.distance_m / g.distance_m, 1, 0.007, `distance ${JSON.stringify([a, b])}`);
    const db = Math.abs(((s.bearing_deg - g.bearing_deg + 540) % 360) - 180);
    assert.ok(db < 0.5, `bearing ${g.bearing_deg} vs ${s.bearing_deg}`);
  }
});

test('range, bearing and positions read as operators read them', () => {
  assert.equal(formatRangeBearing({ distance_m: 22860, bearing_deg: 45.2 }), '12.3 NM 045.2°T (22.9 km)');
  assert.equal(formatRangeBearing({ distance_m: 1852 * 3.456, bearing_deg: 359.96 }), '3.46 NM 360.0°T (6.40 km)');
  assert.equal(formatPosition(-8.552, 125.575), '08°33.120′S 125°34.500′E');
  assert.equal(formatPosition(0.5, -0.25), '00°30.000′N 000°15.000′W');
  assert.equal(formatPosition(10.99999999, 190), '11°00.000′N 170°00.000′W');
});

test('graticule: a handful of lines at a round step, labelled', () => {
  assert.equal(graticuleStep(4.5), 1);
  assert.equal(graticuleStep(1), 10 / 60);
  assert.equal(graticuleStep(0.05), 1 / 60);
  assert.equal(graticuleLabel(-8.5, true, 0.5), '8°30′S');
  assert.equal(graticuleLabel(125, false, 1), '125°E');
  assert.equal(graticuleLabel(-0.25, false, 0.25), '0°15′W');
  const g = graticule({ west: 124, south: -10, east: 127.5, north: -7.6 });
  const labels = (fc, axis) => fc.features.filter((f) => f.properties.axis === axis).map((f) => f.properties.label);
  assert.deepEqual(labels(g, 'lat'), ['10°S', '9°S', '8°S', '7°S']);
  assert.deepEqual(labels(g, 'lon'), ['124°E', '125°E', '126°E', '127°E', '128°E']);
  // Closer in: 10-minute steps, labelled with minutes.
  const near = graticule({ west: 125.52, south: -8.71, east: 126.1, north: -8.39 });
  assert.deepEqual(labels(near, 'lat'), ['8°50′S', '8°40′S', '8°30′S', '8°20′S']);
  assert.equal(labels(near, 'lon')[0], '125°30′E');
});

test('graticule cover: made again only when the view leaves it or needs another step', () => {
  const view = { west: 124, south: -10, east: 127.5, north: -7.6 };
  const cover = graticuleCover(view);
  const lines = graticule(cover, undefined, cover.step);
  // The cover's lines hold every line the view itself would get, at the same step.
  const mine = graticule(view).features.map((f) => f.properties.label);
  const all = lines.features.map((f) => f.properties.label);
  assert.ok(mine.every((l) => all.includes(l)), `${mine} not all in ${all}`);
  assert.equal(cover.step, graticuleStep(3.5));
  const moved = (dx, dy) => ({ west: view.west + dx, east: view.east + dx, south: view.south + dy, north: view.north + dy });
  assert.ok(graticuleCovers(cover, view));
  assert.ok(graticuleCovers(cover, moved(1, -1)), 'a small pan needs no new lines');
  assert.ok(graticuleCovers(cover, moved(3.4, 0)));
  assert.ok(!graticuleCovers(cover, moved(3.6, 0)), 'a pan past the cover needs new lines');
  assert.ok(graticuleCovers(cover, moved(0, -3.4)));
  assert.ok(!graticuleCovers(cover, moved(0, -3.6)));
  // Zoomed in (a finer step) or out (a coarser one) inside the cover: new lines.
  assert.ok(!graticuleCovers(cover, { west: 125.52, south: -8.71, east: 126.1, north: -8.39 }));
  assert.ok(!graticuleCovers(cover, { west: 120, south: -12, east: 131, north: -5 }));
  assert.ok(!graticuleCovers(undefined, view));
  // Near a pole the cover stops at Web Mercator's limit instead of running past it.
  const polar = graticuleCover({ west: 0, south: 80, east: 10, north: 84 });
  assert.equal(polar.north, 85);
});

test('glyph protobuf: the bytes MapLibre reads', () => {
  const bytes = encodeGlyphs('s', '0-255', [{ id: 65, bitmap: Uint8Array.of(9, 8), width: 1, height: 2, left: -1, top: -3, advance: 300 }]);
  // glyphs.stacks(1) { name(1)="s", range(2)="0-255", glyphs(3) { id=65 bitmap=[9,8] width=1
  // height=2 left=zigzag(-1)=1 top=zigzag(-3)=5 advance=300 (varint ac 02) } }
  const glyph = [0x08, 65, 0x12, 2, 9, 8, 0x18, 1, 0x20, 2, 0x28, 1, 0x30, 5, 0x38, 0xac, 0x02];
  const stack = [0x0a, 1, 0x73, 0x12, 5, ...Buffer.from('0-255'), 0x1a, glyph.length, ...glyph];
  assert.deepEqual([...bytes], [0x0a, stack.length, ...stack]);
  // A space: no bitmap field at all.
  const space = encodeGlyphs('s', '0-255', [{ id: 32, bitmap: null, width: 0, height: 0, left: 0, top: -26, advance: 8 }]);
  const spaceGlyph = [0x08, 32, 0x18, 0, 0x20, 0, 0x28, 0, 0x30, 51, 0x38, 8];
  assert.deepEqual([...space].slice(-spaceGlyph.length), spaceGlyph);
});

test('APP-6D codes: standard identity from the standing, entity from the class', () => {
  assert.equal(sidcFor('hostile', 'vessel'), '10063000001401000000');
  assert.equal(sidcFor('friendly', 'person'), '10031100001103000000');
  assert.equal(sidcFor('neutral', 'aircraft'), '10040100001200000000');
  assert.equal(sidcFor('suspect', 'fast_boat'), '10053000001405020000');
  assert.equal(sidcFor('unknown', 'vehicle'), '10011500001601000000');
  assert.equal(sidcFor('bogus', 'bogus'), sidcFor('unknown', 'unknown'));
  for (const s of [...sidcFor('hostile', 'vessel')]) assert.match(s, /\d/);
  // Every combination has its own atlas cell.
  const seen = new Set();
  for (const s of STANDINGS) for (const c of CLASSES) for (const d of [false, true]) seen.add(symbolIndex(s, c, d));
  assert.equal(seen.size, SYMBOL_COUNT);
  assert.equal(Math.max(...seen), SYMBOL_COUNT - 1);
  assert.equal(symbolIndex('bogus', 'vessel', false), symbolIndex('unknown', 'vessel', false));
});

test('evidence on the map: timeline points in time order, or evidence then alert', () => {
  const plain = { geometry: { coordinates: [125, -9] }, properties: { time: '2026-01-01T00:01:00Z', evidence: { lat: -9.1, lon: 124.9, time: '2026-01-01T00:00:00Z' } } };
  const f = evidenceFeatures(plain).features;
  assert.deepEqual(f.filter((x) => x.geometry.type === 'Point').map((x) => x.geometry.coordinates), [[124.9, -9.1], [125, -9]]);
  assert.equal(f.filter((x) => x.geometry.type === 'LineString').length, 1);
  const incident = { geometry: { coordinates: [125, -9] }, properties: { timeline: [
    { time: '2026-01-01T00:02:00Z', lat: -9.2, lon: 125.2 }, { time: '2026-01-01T00:01:00Z', evidence: { lat: -9.3, lon: 125.3 } }, { time: 'x' }] } };
  const pts = evidenceFeatures(incident).features.filter((x) => x.geometry.type === 'Point').map((x) => x.geometry.coordinates);
  assert.deepEqual(pts, [[125.3, -9.3], [125.2, -9.2]]);
  assert.equal(evidenceFeatures(undefined).features.length, 0);
  assert.deepEqual(bboxOf({ features: [{ geometry: { coordinates: [[[1, 2], [3, -4]]] } }] }), [1, -4, 3, 2]);
});

test('trails: one spanning less than the pixel extent is left out, read across the ring end', () => {
  const trail = new Float64Array(TRAIL_POINTS * 2);
  // Five points 1e-6 apart in x, stored from the ring's last two slots on (it wraps to 0..2).
  const start = TRAIL_POINTS - 2;
  for (let i = 0; i < 5; i++) {
    const k = ((start + i) % TRAIL_POINTS) * 2;
    trail[k] = 0.5 + i * 1e-6;
    trail[k + 1] = 0.25;
  }
  assert.equal(spansAtLeast(trail, start, 5, 3.9e-6), true, 'spans 4e-6');
  assert.equal(spansAtLeast(trail, start, 5, 4.1e-6), false, 'under 4.1e-6');
  assert.equal(spansAtLeast(trail, start, 2, 1.5e-6), false, 'the first two points only');
  trail[((start + 4) % TRAIL_POINTS) * 2 + 1] = 0.25 + 1e-5; // the last point moves north
  assert.equal(spansAtLeast(trail, start, 5, 5e-6), true, 'spans 1e-5 in y');
});
