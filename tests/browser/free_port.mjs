// A free TCP port on 127.0.0.1 for the browser tests' servers (standby_pair.mjs, run.sh).
import { createServer } from 'node:net';

/** Whether a TCP server can listen on 127.0.0.1:`port` right now. */
function canListen(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

const given = new Set();

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now, never handed out before in this
 * process. Drawn from 20000-31999, below the kernel's ephemeral range (32768-60999 on Debian), as
 * tests/e2e/e2e_support.cpp does: a port 0 hands out comes from that range, which every outgoing
 * connection on the machine draws its source port from too, and another test's connection took
 * one between our close and the simulator's bind ("cannot bind tcp://127.0.0.1:40587: Address
 * already in use", fresh-clone CI, 2026-12-08).
 */
export async function freePort() {
  const first = 20000;
  const count = 12000;
  const start = Math.floor(Math.random() * count);
  for (let i = 0; i < count; ++i) {
    const port = first + ((start + i) % count);
    if (given.has(port)) continue;
    if (await canListen(port)) {
      given.add(port);
      return port;
    }
  }
  throw new Error('free_port: no free loopback port in 20000-31999');
}
