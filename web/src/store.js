// The picture the page shows: tracks and alerts keyed by id, built from a snapshot and kept up
// to date by updates. Sequence numbers make it exact: a snapshot is valid at its seq, and an
// update with seq <= that is already in it (the server may send both after a resync).

const SEVERITY_RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
import { mercX, mercY } from './map/mercator.js';

export const TRAIL_POINTS = 30;
const CLOSED_KEPT = 50;

export function severityRank(s) {
  return SEVERITY_RANK[s] ?? 0;
}

export class Store {
  constructor() {
    this.reset();
    this.listeners = new Set();
  }

  reset() {
    /** track_id -> {id, lon, lat, mx, my (Web Mercator, 0..1 over the world as in MapLibre),
     *  p (properties),
     *  trail: Float64Array ring of past [mx, my], n points, head = next slot} */
    this.tracks = new Map();
    /** alert_id -> incident feature (open and acknowledged only) */
    this.alerts = new Map();
    /** alert_id -> incident feature, closed in this session (the last CLOSED_KEPT), so the
     *  incident panel can still show one an operator just closed */
    this.closedAlerts = new Map();
    /** [{rule, closed, false_alarms, share}]: false-alarm share per rule, last 7 days */
    this.ruleShares = [];
    this.seq = 0;
    this.time = null;
    this.version = 0; // bumps on every change; views redraw when it moves
  }

  onChange(fn) {
    this.listeners.add(fn);
  }

  changed(kind, detail) {
    this.version++;
    for (const fn of this.listeners) fn(kind, detail);
  }

  applySnapshot(snap) {
    // Keep trails of tracks that survive a resync: the operator should not lose history.
    const old = this.tracks;
    this.tracks = new Map();
    this.alerts = new Map();
    this.seq = snap.seq ?? 0;
    this.time = snap.time ?? null;
    for (const f of snap.tracks ?? []) {
      const prev = old.get(f.properties.track_id);
      this.putTrack(f, prev);
    }
    for (const a of snap.alerts ?? []) this.alerts.set(a.properties.alert_id, a);
    this.ruleShares = snap.rule_shares ?? [];
    this.changed('snapshot');
  }

  /** Applies one {topic, data} message; returns false when it was stale. */
  apply(topic, data) {
    if (topic === 'snapshot') {
      this.applySnapshot(data);
      return true;
    }
    if (typeof data.seq === 'number' && data.seq <= this.seq) return false;
    if (typeof data.seq === 'number') this.seq = data.seq;
    if (topic === 'track') {
      this.putTrack(data, this.tracks.get(data.properties.track_id));
      this.advanceTime(data.properties.time);
      this.changed('track', data.properties.track_id);
    } else if (topic === 'track.deleted') {
      this.tracks.delete(data.track_id);
      this.changed('track.deleted', data.track_id);
    } else if (topic === 'alert') {
      const p = data.properties;
      const before = this.alerts.get(p.alert_id);
      const isNew = !before;
      if (p.state === 'closed') {
        this.alerts.delete(p.alert_id);
        this.closedAlerts.delete(p.alert_id);
        this.closedAlerts.set(p.alert_id, data);
        if (this.closedAlerts.size > CLOSED_KEPT) {
          this.closedAlerts.delete(this.closedAlerts.keys().next().value);
        }
      } else {
        this.alerts.set(p.alert_id, data);
        this.closedAlerts.delete(p.alert_id);
      }
      // Cue the operator for a new open incident, and for one that got worse.
      const worse = before && severityRank(p.severity) > severityRank(before.properties.severity);
      const cue = p.state === 'open' && (isNew || worse || p.change === 'reopened');
      this.changed('alert', { alert: data, isNew: isNew && p.state === 'open', cue });
    } else if (topic === 'rules.shares') {
      this.ruleShares = data.rule_shares ?? [];
      this.changed('shares');
    }
    return true;
  }

  /**
   * The picture's time (the header clock) only moves forward. Track times are measurement times,
   * and one sensor's measurement may be older than the last track update from another, or than
   * the snapshot's time: following them would make the clock jitter backwards.
   * All times are RFC 3339 UTC with milliseconds, so string order is time order.
   */
  advanceTime(t) {
    if (t && !(this.time && this.time >= t)) this.time = t;
  }

  putTrack(f, prev) {
    const [lon, lat] = f.geometry.coordinates;
    // Project once here, not on every frame: drawing is then a scale and an offset.
    const mx = mercX(lon);
    const my = mercY(lat);
    let trail = prev?.trail;
    let n = prev?.n ?? 0;
    let head = prev?.head ?? 0;
    if (!trail) trail = new Float64Array(TRAIL_POINTS * 2);
    // Ring buffer of past positions; skip duplicates (a coasting update with no motion).
    const last = (head + TRAIL_POINTS - 1) % TRAIL_POINTS;
    if (n === 0 || trail[last * 2] !== mx || trail[last * 2 + 1] !== my) {
      trail[head * 2] = mx;
      trail[head * 2 + 1] = my;
      head = (head + 1) % TRAIL_POINTS;
      n = Math.min(n + 1, TRAIL_POINTS);
    }
    this.tracks.set(f.properties.track_id, {
      id: f.properties.track_id, lon, lat, mx, my, p: f.properties, trail, n, head,
    });
  }

  /** The newest `max` trail points oldest first: calls fn(mx, my) for each. */
  static eachTrailPoint(t, fn, max = TRAIL_POINTS) {
    const n = Math.min(t.n, max);
    const start = (t.head - n + TRAIL_POINTS) % TRAIL_POINTS;
    for (let i = 0; i < n; i++) {
      const k = (start + i) % TRAIL_POINTS;
      fn(t.trail[k * 2], t.trail[k * 2 + 1]);
    }
  }

  /** Alerts in queue order: open before acknowledged, then most severe, then newest. */
  sortedAlerts() {
    return [...this.alerts.values()].sort((a, b) => {
      const pa = a.properties;
      const pb = b.properties;
      const sa = pa.state === 'open' ? 0 : 1;
      const sb = pb.state === 'open' ? 0 : 1;
      if (sa !== sb) return sa - sb;
      const r = severityRank(pb.severity) - severityRank(pa.severity);
      if (r !== 0) return r;
      return (pb.time ?? '').localeCompare(pa.time ?? '') || pb.alert_id - pa.alert_id;
    });
  }
}
