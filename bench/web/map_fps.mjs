// Map frame rate with many moving tracks, in headless Debian chromium (WebGL through ANGLE on a
// software driver, Mesa's llvmpipe unless PICKET_GL says otherwise: no GPU here). The page is the real control room served by picket_web_fake_feed
// (PICKET_URL); the live feed is closed and the bench feeds the page's own store with N
// synthetic tracks moving over the archipelago, each updated once per UPDATE_S seconds through
// the same Store.apply path the WebSocket feed uses (so the GPU buffers, labels and trails do
// all their real work). Frames are counted with requestAnimationFrame, and the map's own GL
// frames (MapLibre's render events) separately; the view holds every track. A still view draws
// at the data rate (at most 4 frames/s), so its figure is Chromium's CPU per second; panning
// draws every frame, and its figure is frames/s and CPU per frame.
// `empty` in place of a track count measures the map with every layer off (the background alone:
// the GL path's floor for a frame of this size), `basemap` with the basemap layers alone.
//   PICKET_URL=http://127.0.0.1:18081/ node bench/web/map_fps.mjs [TRACKS|empty|basemap...]
// bench/web/run_map_fps.sh starts the server and runs this for 5,000 and 50,000 tracks.
// PICKET_GL picks Chromium's software GL path (tests/browser/chromium.mjs: swiftshader, llvmpipe).
import { readdirSync, readFileSync } from 'node:fs';
import { GL_PATH, launch, serverUrl } from '../../tests/browser/chromium.mjs';

/**
 * CPU time (ms, user + system) of every process below this one: the Chromium browser, its GPU
 * process (the software GL driver) and renderers, by pid. On a shared machine frames/s depend on the load;
 * CPU time per frame does not, and says what an idle machine would manage.
 */
function childCpu() {
  const parent = new Map();
  const cpu = new Map();
  const tick = 100; // USER_HZ on Linux
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), Number(f[1]));
      cpu.set(Number(d), ((Number(f[11]) + Number(f[12])) * 1000) / tick);
    } catch {
      // the process ended meanwhile
    }
  }
  const mine = new Map();
  for (const [pid, ms] of cpu) {
    for (let p = parent.get(pid); p; p = parent.get(p)) {
      if (p === process.pid) {
        mine.set(pid, ms);
        break;
      }
    }
  }
  return mine;
}

/**
 * A CPU clock over Chromium's processes: `elapsed()` is the CPU time they used since `cpuClock()`
 * (processes that started since count whole; one that ended meanwhile, such as a closed page's
 * renderer, drops out instead of taking its past time off the sum).
 */
function cpuClock() {
  const start = childCpu();
  return {
    elapsed() {
      let ms = 0;
      for (const [pid, now] of childCpu()) ms += now - (start.get(pid) ?? 0);
      return ms;
    },
    /** The same per Chromium process type (browser, gpu-process, renderer, utility...). */
    byType() {
      const out = {};
      for (const [pid, now] of childCpu()) {
        const type = processType(pid);
        out[type] = (out[type] ?? 0) + now - (start.get(pid) ?? 0);
      }
      return out;
    },
  };
}

/** Chromium's --type= of a process ('browser' for the main one, which has none). Chromium sets
 * its children's titles, which leaves their command lines one space-separated string. */
function processType(pid) {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    const type = args.find((a) => a.startsWith('--type='));
    return type ? type.slice(7) : 'browser';
  } catch {
    return 'gone';
  }
}

const url = serverUrl();
// `first` as the only argument: the first picture alone (PICKET_FIRST_RUNS times, the first
// with a cold browser cache), no frame rates.
const firstOnly = process.argv[2] === 'first';
const firstRuns = Number(process.env.PICKET_FIRST_RUNS ?? 1);
// Each scene: synthetic tracks, and the toggle groups switched off (web/src/map/map_style.js).
const OVERLAYS = ['graticule', 'zones', 'rule_lines', 'alerts', 'assets', 'tracks', 'trails', 'vectors', 'labels'];
const BASEMAP = ['basemap', 'territorial', 'eez', 'borders'];
const SCENES = { empty: { n: 0, hide: [...BASEMAP, ...OVERLAYS] }, basemap: { n: 0, hide: OVERLAYS } };
// PICKET_HIDE=vectors,labels switches those groups off in every scene too: what each part of
// the picture costs per frame.
const extraHide = (process.env.PICKET_HIDE ?? '').split(',').filter(Boolean);
const scenes = process.argv.slice(2).map((a) => SCENES[a] ? { name: a, ...SCENES[a] } : { name: `${Number(a)} tracks`, n: Number(a), hide: [] })
  .filter((s) => s.name in SCENES || s.n > 0)
  .map((s) => ({ ...s, hide: [...s.hide, ...extraHide], name: extraHide.length ? `${s.name} (${extraHide.join(', ')} off)` : s.name }));
const seconds = Number(process.env.PICKET_FPS_SECONDS ?? 8);
const updateS = Number(process.env.PICKET_UPDATE_S ?? 1);
const { context, close } = await launch({ width: 1600, height: 1000 });
// The browser's own first page costs it about 1.2 s of CPU (its top-chrome WebUI renderer
// starts): a blank page first, so that the first run measures the control room with cold
// caches rather than the browser starting.
await (await context.newPage()).close();

async function firstPicture() {
  const page = await context.newPage();
  const t0 = Date.now();
  const clock = cpuClock();
  await page.goto(url);
  // First picture: basemap tiles in view, rule layers and the first live tracks drawn.
  await page.waitForFunction(() => window.picket?.map?.firstPictureMs != null, null, { timeout: 120000 });
  // Chromium's CPU time (all its processes) until then: on a shared machine the wall-clock
  // time depends on the load, this far less; on an idle 2-core machine the first picture
  // takes at least half of it.
  const cpu = clock.elapsed();
  const { ms, marks } = await page.evaluate(() => ({
    ms: window.picket.map.firstPictureMs,
    marks: { dom: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd, ...window.picket.map.marks },
  }));
  const gl = await page.evaluate(() => {
    const ctx = window.picket.map.map.painter.context.gl;
    const info = ctx.getExtension('WEBGL_debug_renderer_info');
    return info ? ctx.getParameter(info.UNMASKED_RENDERER_WEBGL) : ctx.getParameter(ctx.RENDERER);
  });
  await page.close();
  return { ms, marks, cpu, wall: Date.now() - t0, gl };
}

async function run({ n, hide }) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.picket?.map?.loaded, null, { timeout: 60000 });
  await page.evaluate(({ n, updateS, hide }) => {
    const { feed, store, map } = window.picket;
    feed.close();
    for (const group of hide) map.setVisible(group, false);
    // GL frames: MapLibre's render events (it renders only when something changed), so that a
    // scene without tracks, where the track layer draws nothing, counts its frames too.
    window.benchFeed = { updates: 0, renders: 0 };
    map.map.on('render', () => { window.benchFeed.renders++; });
    map.map.jumpTo({ center: [118, -2.5], zoom: 4.6 });
    if (n === 0) return;
    // N tracks over the archipelago (lon 95..141, lat -11..6), class and standing mixed.
    const classes = ['vessel', 'vessel', 'fast_boat', 'unknown', 'person', 'vehicle', 'aircraft'];
    const standings = ['unknown', 'friendly', 'neutral', 'suspect', 'hostile'];
    let seed = 12345;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const now = new Date().toISOString();
    const tracks = [];
    for (let i = 1; i <= n; i++) {
      const speed = 2 + rnd() * 12;
      const course = rnd() * 2 * Math.PI;
      tracks.push({
        // Ids clear of the live feed's (closed above, but its tracks' histories may be in the
        // store): a shared id would join a live position to a synthetic one in a long trail.
        id: 1000000 + i, lon: 95 + rnd() * 46, lat: -11 + rnd() * 17,
        e: speed * Math.sin(course), nn: speed * Math.cos(course),
        cls: classes[i % classes.length], standing: standings[i % standings.length], dark: rnd() < 0.2,
      });
    }
    const feature = (t, seq) => ({
      type: 'Feature', seq,
      geometry: { type: 'Point', coordinates: [t.lon, t.lat] },
      properties: {
        track_id: t.id, class: t.cls, standing: t.standing, dark: t.dark, name: t.dark ? undefined : `SHIP ${t.id}`,
        east_mps: t.e, north_mps: t.nn, speed_mps: Math.hypot(t.e, t.nn), time: now,
      },
    });
    store.apply('snapshot', { seq: 1, time: now, tracks: tracks.map((t) => feature(t, 1)), alerts: [] });
    let seq = 1;
    let next = 0;
    let last = performance.now();
    const perMs = n / (updateS * 1000);
    let owed = 0;
    const DEG_M = 111320;
    const tick = (now) => {
      owed += (now - last) * perMs;
      last = now;
      // Each update moves its track by its velocity over the time since its last update.
      while (owed >= 1) {
        owed -= 1;
        const t = tracks[next];
        next = (next + 1) % n;
        t.lat += (t.nn * updateS) / DEG_M;
        t.lon += (t.e * updateS) / (DEG_M * Math.cos((t.lat * Math.PI) / 180));
        store.apply('track', feature(t, ++seq));
        window.benchFeed.updates++;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, { n, updateS, hide });
  await page.waitForTimeout(2500); // trails fill, caches warm

  const measure = async (pan) => {
    const clock = cpuClock();
    const r = await measureIn(pan);
    const cpu = clock.elapsed();
    r.cpu_by_type = Object.entries(clock.byType()).filter(([, ms]) => ms > 0)
      .map(([type, ms]) => `${type} ${(ms / r.frames).toFixed(0)}`).join(', ');
    r.cpu_ms_per_frame = cpu / r.frames;
    r.cpu_ms_per_s = cpu / r.seconds;
    return r;
  };
  const measureIn = (pan) => page.evaluate(async ({ ms, pan }) => {
    const v = window.picket.map;
    const start = { frames: v.frames, renders: window.benchFeed.renders, updates: window.benchFeed.updates };
    let worst = 0;
    const t0 = performance.now();
    let last = t0;
    await new Promise((resolve) => {
      const tick = (now) => {
        worst = Math.max(worst, now - last);
        last = now;
        if (pan) v.map.panBy([Math.sin(now / 300) * 6, Math.cos(now / 300) * 6], { duration: 0 });
        if (now - t0 < ms) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    const s = (performance.now() - t0) / 1000;
    const c = v.map.getCanvas();
    let onScreen = 0;
    v.tracks.eachOnScreen(c.clientWidth, c.clientHeight, 0, () => { onScreen++; });
    return {
      seconds: s,
      frames: window.benchFeed.renders - start.renders,
      fps: (v.frames - start.frames) / s,
      gl_fps: (window.benchFeed.renders - start.renders) / s,
      updates_per_s: (window.benchFeed.updates - start.updates) / s,
      worst_frame_ms: worst,
      tracks: v.tracks.count,
      on_screen: onScreen,
      labels: v.labels.placed.length,
      trail_segments: v.tracks.trailVertices / 2,
    };
  }, { ms: seconds * 1000, pan });

  const moving = await measure(false);
  const panning = await measure(true);
  const shot = n || (hide.includes('basemap') ? 'empty' : 'basemap');
  await page.screenshot({ path: new URL(`../../web/test-results/map_fps_${shot}_${GL_PATH}.png`, import.meta.url).pathname });
  await page.close();
  return { moving, panning };
}

try {
  for (let i = 0; i < firstRuns; i++) {
    const first = await firstPicture();
    if (i === 0) console.log(`map_fps WebGL renderer (PICKET_GL=${GL_PATH}): ${first.gl}`);
    const marks = Object.entries(first.marks).sort((a, b) => a[1] - b[1]).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
    console.log(`map_fps first picture: ${first.ms.toFixed(0)} ms after navigation start, Chromium CPU ${first.cpu.toFixed(0)} ms (land and sea in view, rule layers and live tracks drawn; ${first.wall} ms wall clock from goto; ready at: ${marks} ms)`);
  }
  const fmt = (r) => `${r.gl_fps.toFixed(1)} GL frames/s, ${r.fps.toFixed(1)} rAF/s, Chromium CPU ${r.cpu_ms_per_frame.toFixed(1)} ms per GL frame and ${r.cpu_ms_per_s.toFixed(0)} ms per second (per GL frame: ${r.cpu_by_type}; idle 2-core estimate ${Math.min(60, 2000 / r.cpu_ms_per_frame).toFixed(0)} frames/s), worst frame ${r.worst_frame_ms.toFixed(0)} ms, ${r.updates_per_s.toFixed(0)} track updates/s, ${r.on_screen}/${r.tracks} tracks on screen, ${r.labels} labels, ${r.trail_segments} trail segments`;
  const defaults = [5000, 50000].map((n) => ({ name: `${n} tracks`, n, hide: [] }));
  for (const scene of firstOnly ? [] : scenes.length ? scenes : defaults) {
    const r = await run(scene);
    console.log(`map_fps ${scene.name} moving:  ${fmt(r.moving)}`);
    console.log(`map_fps ${scene.name} panning: ${fmt(r.panning)}`);
    const n = scene.n;
    if (n === 0) continue;
    const goal = n <= 5000 ? 60 : 30;
    // The goal is for the moving view (panning): a still view draws only when the data changed,
    // at most 4 times a second (web/src/map/track_layer.js), and its figure is CPU per second.
    const worst = r.panning.gl_fps;
    console.log(`map_fps ${n} tracks: goal >= ${goal} frames/s while panning ${worst >= goal * 0.95 ? 'met' : 'NOT met'} (${worst.toFixed(1)})`);
  }
} finally {
  await close();
}
