// A hot-standby pair on the demo's Timor scene, for the browser failover test: `picket sim`
// publishing config/scenarios/timor-demo.yaml, a primary `picket serve` and its standby
// (`--standby`, same config), all on free loopback ports of their own (never the demo's fixed
// 5601-5605/5700/8080, so it can run next to a demo), in a temporary directory that is removed
// afterwards. The config and the scenario are the demo's files with only the endpoints, the
// files' places, the operator token and the `standby:` link changed.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './free_port.mjs';

const root = new URL('../..', import.meta.url).pathname;

/** Replaces every occurrence of `from` in `text`; throws when there is none (the file changed). */
function replaceAll(text, from, to, what) {
  if (!text.includes(from)) throw new Error(`standby_pair: ${what} has no '${from}' any more`);
  return text.split(from).join(to);
}

/**
 * Writes the pair's config and scenario into `dir`: every tcp://127.0.0.1:PORT of the demo's
 * files moved to a free port (the same map in both, so the servers' feeds find the simulator),
 * the HTTP port, the store and recording under `dir`, a fixed operator token (the page's commands
 * go on working on the standby), and the standby link.
 */
async function writeFiles(dir, token) {
  let config = readFileSync(join(root, 'config/demo/server.yaml'), 'utf8');
  let scenario = readFileSync(join(root, 'config/scenarios/timor-demo.yaml'), 'utf8');
  const ports = {};
  for (const old of new Set(config.match(/tcp:\/\/127\.0\.0\.1:\d+/g))) {
    const now = `tcp://127.0.0.1:${await freePort()}`;
    config = replaceAll(config, old, now, 'config/demo/server.yaml');
    if (scenario.includes(old)) scenario = scenario.split(old).join(now);
    ports[old] = now;
  }
  const http = await freePort();
  const standby = await freePort();
  config = replaceAll(config, 'rules: rules.yaml', `rules: ${join(root, 'config/demo/rules.yaml')}`, 'the config');
  config = replaceAll(config, 'port: 8080}', `port: ${http}, token: "${token}"}`, 'the config');
  config = replaceAll(config, 'database: ../../data/demo/picket.db', `database: ${join(dir, 'picket.db')}`, 'the config');
  config = replaceAll(config, 'recording: ../../data/demo/recording', `recording: ${join(dir, 'recording')}`, 'the config');
  config += `\nstandby:\n  endpoint: tcp://127.0.0.1:${standby}\n`;
  scenario = replaceAll(scenario, 'rules: ../demo/rules.yaml', `rules: ${join(root, 'config/demo/rules.yaml')}`, 'the scenario');
  // The demo's ports are 4 digits, free ones 5: a 4-digit one left is a sensor no feed reads.
  if (/tcp:\/\/127\.0\.0\.1:\d{4}\b/.test(scenario)) {
    throw new Error('standby_pair: a scenario endpoint the config does not read');
  }
  writeFileSync(join(dir, 'server.yaml'), config);
  writeFileSync(join(dir, 'scenario.yaml'), scenario);
  return { url: `http://127.0.0.1:${http}/`, config: join(dir, 'server.yaml'), scenario: join(dir, 'scenario.yaml') };
}

/** picket_feed_NAME{feed="FEED"} from the server's /metrics; 0 when it has none yet. */
async function feedMetric(url, name, feed) {
  try {
    const text = await (await fetch(`${url}metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`picket_feed_${name}{feed="${feed}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  } catch {
    return 0;
  }
}

/**
 * The AIS feed's clock offset as measured on the simulator started after `before` messages
 * (the previous one exited): the server's offset is the median of the feed's last 31 messages,
 * so it is read once 40 more have arrived.
 */
async function newSimOffset(pair, before) {
  await waitFor('the simulator\'s clock offset', async () =>
    (await feedMetric(pair.url, 'messages_total', 'ais-network')) >= before + 40, 30000, pair.sim, pair.logs.sim);
  return feedMetric(pair.url, 'clock_offset_seconds', 'ais-network');
}

function runSim(binary, scenario, speed, startMs, log) {
  return run(binary, ['sim', scenario, '--speed', String(speed), '--start',
    new Date(startMs).toISOString(), '--wait', '0.5', '--quiet'], log);
}

function run(binary, args, log) {
  const out = openSync(log, 'w');
  return spawn(binary, args, { cwd: root, stdio: ['ignore', out, out] });
}

async function waitFor(what, ok, timeoutMs, proc, log) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`${what}: the process exited early:\n${readFileSync(log, 'utf8').slice(-3000)}`);
    }
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s:\n${readFileSync(log, 'utf8').slice(-3000)}`);
}

/**
 * Starts the pair and the simulator at `speed`; resolves once the primary serves its page, the
 * standby attached and the simulator runs. {url, token, primary, standby, sim, logs, stop()}.
 */
export async function startPair({ binary, speed = 10 }) {
  const dir = mkdtempSync(join(tmpdir(), 'picket-standby-web-'));
  const token = `standby-web-${process.pid}`;
  const files = await writeFiles(dir, token);
  const logs = { primary: join(dir, 'primary.log'), standby: join(dir, 'standby.log'), sim: join(dir, 'sim.log') };
  const start = new Date().toISOString();
  const serve = (standby) => ['serve', '--config', files.config, '--clock-start', start,
    '--clock-speed', String(speed), ...(standby ? ['--standby'] : [])];
  const pair = { ...files, token, dir, logs };
  pair.standby = run(binary, serve(true), logs.standby);
  const spawnedAt = Date.now();
  pair.primary = run(binary, serve(false), logs.primary);
  const stop = () => {
    for (const p of [pair.sim, pair.primary, pair.standby]) {
      if (p && p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
    }
  };
  pair.stop = async () => {
    stop();
    await new Promise((r) => setTimeout(r, 1000));
    for (const p of [pair.sim, pair.primary, pair.standby]) {
      if (p && p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    }
    if (!process.env.PICKET_KEEP_LOGS) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const snapshot = async () => {
      try {
        const res = await fetch(`${pair.url}api/snapshot`);
        return res.ok ? res.json() : null;
      } catch {
        return null;
      }
    };
    await waitFor('the primary\'s /api/snapshot', async () => (await snapshot()) !== null, 60000, pair.primary, logs.primary);
    await waitFor('the standby attached', () => readFileSync(logs.primary, 'utf8').includes('standby: attached'),
      60000, pair.primary, logs.primary);
    // The simulator must run on the server's clock (the tracker takes reports up to 5 s late,
    // and none ahead of its clock), but neither process says when its clock started. So a first
    // simulator runs a minute behind the server's estimated clock: every record it sends is
    // rejected as clock_behind (beyond max_clock_skew, 30 s: nothing reaches the tracks), and
    // the server measures its offset (/metrics). The next runs from the start corrected by that
    // offset (its own start-up delay is about the same each time and cancels), aiming 2 s behind
    // the server's clock; one that lands outside [-4.5, 0.5] s (a start-up slower or faster
    // under load) is corrected again.
    const probe = 60;
    const aim = -2;
    let simStart = Date.parse(start) + speed * (Date.now() - spawnedAt) - probe * 1000;
    let offset = null;
    for (let attempt = 0; attempt < 6; attempt++) {
      const spawned = Date.now();
      const before = await feedMetric(pair.url, 'messages_total', 'ais-network');
      pair.sim = runSim(binary, files.scenario, speed, simStart, logs.sim);
      offset = await newSimOffset(pair, before);
      if (attempt > 0 && offset > -4.5 && offset < 0.5) break;
      await new Promise((resolve) => { pair.sim.once('exit', resolve); pair.sim.kill('SIGTERM'); });
      simStart = simStart + (aim - offset) * 1000 + speed * (Date.now() - spawned);
    }
    if (!(offset > -4.5 && offset < 0.5)) throw new Error(`the simulator stays ${offset} s off the server's clock`);
    pair.simOffsetS = offset;
  } catch (e) {
    await pair.stop();
    throw e;
  }
  return pair;
}
