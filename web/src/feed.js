// The WebSocket side: the live picture (/ws, reconnecting) or a replay (/ws/replay), feeding the
// same Store so that the map does not care which one it shows.

const seconds = (v) => `${v >= 0 ? '+' : ''}${Number(v ?? 0).toFixed(1)} s`;

/**
 * What the control room flags about one feed, from its latest `feed` message (docs/protocol.md):
 * a silent feed, a clock off (ahead / behind: its data is rejected, clamped or dropped as late)
 * and a clock corrected by an offset. [] when all is well.
 */
export function feedFlags(msg) {
  const flags = [];
  if (msg.status === 'silent') flags.push({ level: 'warn', text: `${msg.feed}: silent` });
  const clock = msg.clock ?? {};
  if (clock.status === 'ahead' || clock.status === 'behind') {
    flags.push({ level: 'warn', text: `${msg.feed}: clock ${clock.status} ${seconds(clock.measured_offset_s)}` });
  } else if (clock.status === 'corrected') {
    flags.push({ level: 'info', text: `${msg.feed}: clock corrected, ${clock.offset_source} offset ${seconds(clock.applied_offset_s)}` });
  }
  return flags;
}

/** Shows the feed flags next to the connection status in the header (#feed-flags). */
export function showFeedFlags(feeds, doc = globalThis.document) {
  if (!doc) return;
  let box = doc.getElementById('feed-flags');
  if (!box) {
    const conn = doc.getElementById('conn');
    if (!conn) return;
    box = doc.createElement('span');
    box.id = 'feed-flags';
    box.setAttribute('role', 'status');
    conn.after(box);
  }
  const flags = [...feeds.values()].flatMap(feedFlags);
  box.replaceChildren(...flags.map((f) => {
    const el = doc.createElement('span');
    el.className = `feed-flag feed-flag-${f.level}`;
    el.textContent = f.text;
    return el;
  }));
  box.hidden = flags.length === 0;
}

export class Feed {
  constructor(store) {
    this.store = store;
    this.ws = null;
    this.mode = 'live';
    this.onStatus = () => {};
    this.onError = () => {};
    this.onReplayEnd = () => {};
    this.retryMs = 500;
    // The longest wait between two reconnection attempts. Short: after a hot standby takes over
    // (docs/deployment.md, "Hot standby") the page is live again at most this long after the
    // standby serves, and an attempt on a server that is down is one refused connection.
    this.maxRetryMs = 2000;
    this.messages = 0;
    /** Latest `feed` message per feed id (health: silence, clock). */
    this.feeds = new Map();
    this.onFeedHealth = (feeds) => showFeedFlags(feeds);
  }

  url(path) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}${path}`;
  }

  close() {
    if (this.ws) {
      this.ws.onclose = null;
      this.ws.onmessage = null;
      this.ws.close();
      this.ws = null;
    }
  }

  live() {
    this.close();
    this.mode = 'live';
    this.open('/ws', true);
  }

  replay(name, fromIso, speed) {
    this.close();
    this.mode = 'replay';
    const q = new URLSearchParams({ name, speed: String(speed) });
    if (fromIso) q.set('from', fromIso);
    this.open(`/ws/replay?${q}`, false);
  }

  /** Replay controls: pause, resume, speed. */
  control(op, speed) {
    if (this.mode !== 'replay' || !this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify(speed === undefined ? { op } : { op, speed }));
  }

  handle(line) {
    this.messages++;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (msg.topic === 'error' || msg.topic === 'replay.error') {
      this.onError(msg.data?.error ?? 'server error');
      return;
    }
    if (msg.topic === 'replay.end') {
      this.onStatus('replay ended');
      this.onReplayEnd();
      return;
    }
    if (msg.topic === 'snapshot') {
      // A replay's snapshot has no feeds: nothing to flag there.
      this.feeds = new Map((msg.data?.feeds ?? []).map((f) => [f.feed, f]));
      this.onFeedHealth(this.feeds);
    } else if (msg.topic === 'feed' && msg.data?.feed) {
      this.feeds.set(msg.data.feed, msg.data);
      this.onFeedHealth(this.feeds);
    }
    this.store.apply(msg.topic, msg.data);
  }

  open(path, reconnect) {
    const ws = new WebSocket(this.url(path));
    this.ws = ws;
    this.onStatus('connecting');
    ws.onopen = () => {
      this.retryMs = 500;
      this.onStatus(this.mode === 'live' ? 'live' : 'replay');
    };
    ws.onmessage = (ev) => {
      // A frame holds one or more messages separated by '\n' (the server coalesces a backlog).
      // Frames already on their way when the operator switched between live and replay must not
      // land in the other picture (the live clock and tracks flashed up in a fresh replay); a
      // message may itself switch (a replay error goes back to live).
      const text = ev.data;
      let start = 0;
      while (start < text.length && this.ws === ws) {
        let end = text.indexOf('\n', start);
        if (end < 0) end = text.length;
        this.handle(text.slice(start, end));
        start = end + 1;
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.onStatus('disconnected');
      if (reconnect) {
        // A new connection starts with a fresh snapshot, so nothing is lost while away.
        setTimeout(() => { if (this.ws === ws) this.open(path, true); }, this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, this.maxRetryMs);
      }
    };
  }
}
