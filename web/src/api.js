// Talking to the server: JSON GETs, operator commands with the bearer token.
//
// The token: when the page is opened on the server's own machine (loopback) the server writes it
// into <meta name="picket-token">; otherwise the operator types it once and it is kept in
// sessionStorage for this tab only.

export function commandToken() {
  const meta = document.querySelector('meta[name="picket-token"]');
  if (meta && meta.content) return meta.content;
  return sessionStorage.getItem('picket.token') ?? '';
}

export function setCommandToken(token) {
  sessionStorage.setItem('picket.token', token);
}

export function operatorName() {
  return localStorage.getItem('picket.operator') || 'operator';
}

export function setOperatorName(name) {
  localStorage.setItem('picket.operator', name);
}

export async function getJson(path) {
  const res = await fetch(path, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

/** Sends an operator command; resolves to the server reply ({ok, error?}). */
export async function sendCommand(cmd) {
  const body = JSON.stringify({ ...cmd, by: operatorName() });
  let res;
  try {
    res = await fetch('/api/command', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${commandToken()}` },
      body,
    });
  } catch (e) {
    return { ok: false, error: `network: ${e.message}` };
  }
  if (res.status === 401) return { ok: false, error: 'not authorised: enter the command token', auth: true };
  if (res.status === 403) return { ok: false, error: 'commands are disabled on this server' };
  try {
    return await res.json();
  } catch {
    return { ok: false, error: `HTTP ${res.status}` };
  }
}
