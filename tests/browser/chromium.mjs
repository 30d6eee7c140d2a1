// Launching Debian's chromium through playwright-core (never a downloaded browser), with a fresh
// profile that is removed afterwards.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '../../web/node_modules/playwright-core/index.mjs';

// WebGL (the map) without a GPU. Two software paths in Debian's chromium (PICKET_GL picks one):
// - `swiftshader`: ANGLE over SwiftShader, Chromium's software Vulkan. Chromium gives it even with
//   --disable-gpu, but only with a warning unless software WebGL is allowed. Compositing is then
//   done on the CPU, so every frame the WebGL canvas is read back (glReadPixels).
// - `llvmpipe`: ANGLE over OpenGL ES on Mesa's llvmpipe (EGL, Debian's libegl-mesa0 and
//   libgl1-mesa-dri). Chromium blocks software GL drivers unless told to ignore its blocklist;
//   without it the page gets no WebGL at all. The page is composited on the CPU
//   (--disable-gpu-compositing): compositing the whole window through llvmpipe cost more than
//   reading the map's canvas back (docs/control-room.md has the figures).
export const GL_PATHS = {
  swiftshader: ['--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  llvmpipe: ['--use-gl=angle', '--use-angle=gl-egl', '--ignore-gpu-blocklist', '--disable-gpu-compositing'],
};
// llvmpipe by default: per GL frame it took 25-50 % less of Chromium's CPU than SwiftShader in
// bench/web/run_map_fps.sh (docs/control-room.md).
export const GL_PATH = process.env.PICKET_GL ?? 'llvmpipe';
if (!GL_PATHS[GL_PATH]) {
  console.error(`PICKET_GL=${GL_PATH}: not one of ${Object.keys(GL_PATHS).join(', ')}`);
  process.exit(2);
}
// Without Mesa's EGL the page would get no WebGL at all and fail far from the cause.
const MESA_EGL = '/usr/share/glvnd/egl_vendor.d/50_mesa.json';
if (GL_PATH === 'llvmpipe' && !existsSync(MESA_EGL)) {
  console.error(`PICKET_GL=llvmpipe needs Mesa's EGL (${MESA_EGL}): run scripts/setup.sh, or set PICKET_GL=swiftshader`);
  process.exit(2);
}
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ...GL_PATHS[GL_PATH],
  ...(process.env.PICKET_CHROMIUM_EXTRA_ARGS ?? '').split(' ').filter(Boolean),
];

/** True for a URL that stays on this machine: loopback, or the page's own blob:/data: URLs. */
export function isLocalUrl(url) {
  const u = new URL(url);
  if (u.protocol === 'blob:' || u.protocol === 'data:' || u.protocol === 'about:') return true;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Every request the context makes goes through here: loopback ones go on, any other is
 * aborted and recorded in the returned list (the tests assert it stays empty). WebSockets and
 * worker requests are recorded from the request events too.
 */
export async function guardNetwork(context) {
  const offMachine = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) return route.continue();
    offMachine.push(url);
    return route.abort('blockedbyclient');
  });
  const watch = (page) => {
    page.on('request', (r) => { if (!isLocalUrl(r.url())) offMachine.push(r.url()); });
    page.on('websocket', (ws) => { if (!isLocalUrl(ws.url().replace(/^ws/, 'http'))) offMachine.push(ws.url()); });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return offMachine;
}

/** {context, close}: a persistent context on a throw-away user-data dir. */
export async function launch({ width = 1600, height = 1000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'picket-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width, height },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new page whose uncaught exceptions and console errors are pushed to `errors`. */
export async function newWatchedPage(context, errors) {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return page;
}

export function serverUrl() {
  const url = process.env.PICKET_URL;
  if (!url) {
    console.error('PICKET_URL is not set (e.g. http://127.0.0.1:8080/); see tests/browser/run.sh');
    process.exit(2);
  }
  return url.endsWith('/') ? url : `${url}/`;
}
