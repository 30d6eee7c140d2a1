// Launching Debian's chromium through playwright-core (never a downloaded browser), with a fresh
// profile that is removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '../../web/node_modules/playwright-core/index.mjs';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

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
