// Map fluidity with many live tracks: frames per second counted with requestAnimationFrame in
// headless Debian chromium, (a) while tracks stream in and (b) while the operator pans the map
// (every frame redraws everything). Goal: >= 30 fps with 5,000 tracks.
//   PICKET_URL=http://127.0.0.1:18081/ PICKET_MIN_TRACKS=5000 node bench/web/map_fps.mjs
// (bench/web/run_map_fps.sh starts a generated 5,000-track feed and runs this.)
import { launch, serverUrl } from '../../tests/browser/chromium.mjs';

const url = serverUrl();
const minTracks = Number(process.env.PICKET_MIN_TRACKS ?? 1);
const seconds = Number(process.env.PICKET_FPS_SECONDS ?? 5);
const { context, close } = await launch({ width: 1600, height: 1000 });
try {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction((n) => window.picket?.store.tracks.size >= n, minTracks, { timeout: 60000 });
  // Zoom to the area that holds the tracks so all of them are on screen and drawn.
  await page.evaluate(() => {
    const ts = [...window.picket.store.tracks.values()];
    const lons = ts.map((t) => t.lon);
    const lats = ts.map((t) => t.lat);
    window.picket.map.view.fit([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)]);
  });
  await page.waitForTimeout(1500); // trails fill, caches warm

  const measure = (pan) => page.evaluate(async ({ ms, pan }) => {
    const map = window.picket.map;
    const start = { frames: map.frames, draws: map.draws, msgs: window.picket.feed.messages };
    let drawMs = 0;
    let worst = 0;
    let n = 0;
    const t0 = performance.now();
    let last = t0;
    await new Promise((resolve) => {
      const tick = (now) => {
        worst = Math.max(worst, now - last);
        last = now;
        if (pan) map.view.panBy(Math.sin(now / 300) * 4, Math.cos(now / 300) * 4);
        drawMs += map.lastDrawMs;
        n++;
        if (now - t0 < ms) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    const s = (performance.now() - t0) / 1000;
    return {
      fps: (map.frames - start.frames) / s,
      redraws_per_s: (map.draws - start.draws) / s,
      messages_per_s: (window.picket.feed.messages - start.msgs) / s,
      mean_draw_ms: drawMs / n,
      worst_frame_ms: worst,
      tracks: window.picket.store.tracks.size,
      visible_tracks: [...window.picket.store.tracks.values()].filter((t) => {
        const x = map.view.x(t.lon); const y = map.view.y(t.lat);
        return x >= 0 && y >= 0 && x <= map.view.width && y <= map.view.height;
      }).length,
    };
  }, { ms: seconds * 1000, pan });

  const streaming = await measure(false);
  const panning = await measure(true);
  const fmt = (r) => `${r.fps.toFixed(1)} fps, ${r.redraws_per_s.toFixed(1)} redraws/s, mean draw ${r.mean_draw_ms.toFixed(1)} ms, worst frame ${r.worst_frame_ms.toFixed(0)} ms, ${r.messages_per_s.toFixed(0)} msgs/s, ${r.tracks} tracks (${r.visible_tracks} on screen)`;
  console.log(`map_fps streaming: ${fmt(streaming)}`);
  console.log(`map_fps panning:   ${fmt(panning)}`);
  const ok = streaming.fps >= 30 && panning.fps >= 30;
  console.log(`map_fps goal >= 30 fps: ${ok ? 'met' : 'NOT met'}`);
} finally {
  await close();
}
