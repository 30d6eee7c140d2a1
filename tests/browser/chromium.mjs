// Launching Debian's chromium through playwright-core (never a downloaded browser), with a fresh
// profile that is removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '../../web/node_modules/playwright-core/index.mjs';

// WebGL (the map) without a GPU: ANGLE over SwiftShader, Chromium's software Vulkan. Chromium
// gives it even with --disable-gpu, but only with a warning unless software WebGL is allowed.
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
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
