#!/usr/bin/env python3
"""Signed along-ray error of camera-only tracks against truth (issue 14, docs/rules.md).

A camera ranges a target from its depression angle, so a camera-only track is well placed across
the ray and loosely along it. This measures, per bin of true range from the camera, the mean and
spread of (track range - true range) (positive: the track is beyond the target), the same across
the ray, the error in sigmas of the track's own covariance along the ray, and the error of the
velocity along the ray (positive: moving away faster than the target).

    bench/rules/camera_ray_errors.py RUN... --camera LAT,LON [--feed cam-kartong]
        [--bin 250] [--max-bearing-deg 2] [--confirmed] [--names walker-a,walker-b]
        [--crossings 2000,2800] [--bands 0,25,50] [--csv FILE]

RUN is a prefix as bench/rules/score_incidents.sh leaves them (OUT/gambia): RUN-out.txt is
`picket replay --out` (track lines), RUN-truth/truth.csv `picket sim --truth`'s truth. Several
runs (seeds) are pooled.
A track is paired with the truth target nearest it in *bearing* over most of its updates (the
bearing is what the camera fixes; pairing by distance would pick the target nearest along the
ray and hide a bias); an update more than --max-bearing-deg off its target's bearing is of
something else and not counted. Only tracks whose every feed is the camera count.

--crossings LO,HI: also, for each border-crossing entry of a paired track that was camera-only
when it crossed, its time against its target's true crossing (events.jsonl), its along-ray error
then, and the same track's mean along-ray error over true ranges LO..HI m (the approach): a
rule that raises on the first crossing of a noisy estimate raises when the error points across.

--bands M,...: offline, for each paired track with an update within 5 s of its target's true
crossing, the first time in the 300 s before or any time after it that the estimate was M m
nearer the camera than the border (taken as the target's true range at its true crossing: for a
target walking down the ray), against the true crossing: what a band past the line would do.
"""
import argparse
import bisect
import csv
import json
import math
import sys
from collections import defaultdict
from datetime import datetime

# WGS84: a local east/north plane at the camera from the radii of curvature there (errors of
# d^2 tan(lat) / R, 0.2 m at 2.5 km: far below the errors measured).
A = 6378137.0
F = 1 / 298.257223563
E2 = F * (2 - F)


class Plane:
    def __init__(self, lat, lon):
        s = math.sin(math.radians(lat))
        w = math.sqrt(1 - E2 * s * s)
        self.m = A * (1 - E2) / w**3  # meridian radius
        self.n = A / w  # prime vertical radius
        self.lat, self.lon = lat, lon
        self.coslat = math.cos(math.radians(lat))

    def en(self, lat, lon):
        return (math.radians(lon - self.lon) * self.n * self.coslat,
                math.radians(lat - self.lat) * self.m)


def parse_time(s):
    return datetime.strptime(s.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def load_truth(path, plane, max_range_m):
    """Every target that comes within max_range_m of the camera (boats too: a camera-only track
    of a boat must not be paired with a walker): name -> (times, [(t, lat, lon, ve, vn)])."""
    paths = defaultdict(list)
    near = set()
    with open(path) as f:
        for row in csv.DictReader(f):
            lat, lon = float(row["lat"]), float(row["lon"])
            paths[row["name"]].append((float(row["time"]), lat, lon, float(row["east_mps"]),
                                       float(row["north_mps"])))
            if math.hypot(*plane.en(lat, lon)) <= max_range_m:
                near.add(row["name"])
    out = {}
    for name in near:
        p = sorted(paths[name])
        out[name] = ([r[0] for r in p], p)
    return out


def truth_at(timed_path, t):
    times, path = timed_path
    i = bisect.bisect_left(times, t)
    if i == 0 or i >= len(path):
        return None
    a, b = path[i - 1], path[i]
    w = (t - a[0]) / (b[0] - a[0])
    return tuple(a[k] + w * (b[k] - a[k]) for k in range(1, 5))


def run_rows(run, args, plane, names, rows):
    """Appends one run's paired camera-only updates to rows; returns track -> truth name."""
    truth = load_truth(f"{run}-truth/truth.csv", plane, args.max_range + 500)

    updates = {}  # (track_id, time) -> the last message
    with open(f"{run}-out.txt") as f:
        for line in f:
            if not line.startswith("track {"):
                continue
            g = json.loads(line[6:])
            p = g["properties"]
            if p["sensors"] != ["camera"]:
                continue
            if args.feed and p.get("feeds") != [args.feed]:
                continue
            if args.confirmed and p["status"] != "confirmed":
                continue
            updates[(p["track_id"], p["time"])] = (g["geometry"]["coordinates"], p)

    # Pair each track with the target nearest it in bearing on most of its updates.
    votes = defaultdict(lambda: defaultdict(int))
    for (tid, ts), (coord, p) in updates.items():
        t = parse_time(ts)
        te, tn = plane.en(coord[1], coord[0])
        tb = math.atan2(te, tn)
        best = None
        for name, path in truth.items():
            s = truth_at(path, t)
            if s is None:
                continue
            e, n = plane.en(s[0], s[1])
            if not 1 <= math.hypot(e, n) <= args.max_range:
                continue
            db = abs(math.remainder(tb - math.atan2(e, n), 2 * math.pi))
            best = min(best or (db, name), (db, name))
        if best and best[0] <= math.radians(args.max_bearing_deg):
            votes[tid][best[1]] += 1
    pair = {tid: max(v.items(), key=lambda kv: kv[1])[0] for tid, v in votes.items()}

    for (tid, ts), (coord, p) in updates.items():
        if tid not in pair or (names and pair[tid] not in names):
            continue
        t = parse_time(ts)
        s = truth_at(truth[pair[tid]], t)
        if s is None:
            continue
        e, n = plane.en(s[0], s[1])
        r = math.hypot(e, n)
        if r > args.max_range or r < 1:
            continue
        u = (e / r, n / r)  # along the ray, away from the camera
        te, tn = plane.en(coord[1], coord[0])
        along = (te - e) * u[0] + (tn - n) * u[1]
        across = (te - e) * u[1] - (tn - n) * u[0]
        if abs(across) > r * math.radians(args.max_bearing_deg):
            continue  # that update is of something else (a lost track, a swap): not paired
        c = p["cov"]  # upper triangle of the 4x4 east, north, v_east, v_north covariance
        var_along = c[0] * u[0] ** 2 + 2 * c[1] * u[0] * u[1] + c[4] * u[1] ** 2
        nsig = along / math.sqrt(var_along) if var_along > 0 else float("nan")
        dv = (p["east_mps"] - s[2]) * u[0] + (p["north_mps"] - s[3]) * u[1]
        rows.append((f"{run}:{tid}", pair[tid], t, r, along, across, nsig, dv, p["status"]))
    return pair


def true_crossings(run):
    """name -> the time of its first single-target border crossing in events.jsonl."""
    truth = {}
    with open(f"{run}-truth/events.jsonl") as f:
        for line in f:
            e = json.loads(line)
            if e["kind"] == "border_crossing" and len(e["names"]) == 1:
                truth.setdefault(e["names"][0], parse_time(e["time"]))
    return truth


def band_crossings(run, rows, names, bands):
    """One run's {band: [first time past the band - true crossing]} (see --bands)."""
    truth = true_crossings(run)
    by_track = defaultdict(list)
    for r in rows:
        if r[0].startswith(f"{run}:") and r[1] in truth and (not names or r[1] in names):
            by_track[r[0]].append(r)
    out = defaultdict(list)
    for rs in by_track.values():
        tc = truth[rs[0][1]]
        rs.sort(key=lambda r: r[2])
        near = min(rs, key=lambda r: abs(r[2] - tc))
        if abs(near[2] - tc) > 5:
            continue
        for m in bands:
            past = [r[2] for r in rs if r[2] >= tc - 300 and r[3] + r[4] < near[3] - m]
            if past:
                out[m].append(past[0] - tc)
    return out


def crossings(run, pair, rows, names, lo, hi):
    """One run's camera-only crossing entries: (label, dt s, along then m, mean over lo..hi m)."""
    truth = true_crossings(run)
    entries = {}  # (incident, seq) -> (time, track)
    with open(f"{run}-out.txt") as f:
        for line in f:
            if not line.startswith("alert {"):
                continue
            p = json.loads(line[6:])["properties"]
            for e in p["timeline"]:
                if e["kind"] == "border_crossing" and e["track_id"] in pair:
                    entries[(p["incident_id"], e["seq"])] = (parse_time(e["time"]), e["track_id"])
    out = []
    for t, tid in sorted(entries.values()):
        name = pair[tid]
        mine = [r for r in rows if r[0] == f"{run}:{tid}"]
        if name not in truth or (names and name not in names) or not mine:
            continue
        at = min(mine, key=lambda r: abs(r[2] - t))
        if abs(at[2] - t) > 5:
            continue  # not camera-only when it crossed
        approach = [r[4] for r in mine if lo <= r[3] <= hi]
        mean = sum(approach) / len(approach) if approach else float("nan")
        out.append((f"{run} {name} track {tid}", t - truth[name], at[4], mean))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("runs", nargs="+")
    ap.add_argument("--camera", required=True, help="LAT,LON of the camera")
    ap.add_argument("--feed", default=None, help="the camera's feed id (default: any camera)")
    ap.add_argument("--bin", type=float, default=250.0)
    ap.add_argument("--max-range", type=float, default=3500.0)
    ap.add_argument("--max-bearing-deg", type=float, default=2.0,
                    help="an update further off its target's bearing is not counted")
    ap.add_argument("--confirmed", action="store_true", help="confirmed tracks only")
    ap.add_argument("--names", default="", help="report only tracks paired with these truth names")
    ap.add_argument("--crossings", default=None, metavar="LO,HI",
                    help="each crossing entry against truth; approach band LO..HI m")
    ap.add_argument("--bands", default=None, metavar="M,...",
                    help="first time each track was M m past the border (offline)")
    ap.add_argument("--csv", default=None, help="write every paired update here")
    ap.add_argument("--label", default="")
    args = ap.parse_args()

    lat0, lon0 = (float(v) for v in args.camera.split(","))
    plane = Plane(lat0, lon0)
    names = set(n for n in args.names.split(",") if n)
    rows = []  # per update: track, name, t, true range, along, across, sigmas, speed error
    paired = defaultdict(int)
    crossed = []
    bands = [float(v) for v in args.bands.split(",")] if args.bands else []
    banded = defaultdict(list)
    for run in args.runs:
        tracks = run_rows(run, args, plane, names, rows)
        for name in tracks.values():
            if not names or name in names:
                paired[name] += 1
        if args.crossings:
            lo, hi = (float(v) for v in args.crossings.split(","))
            crossed += crossings(run, tracks, rows, names, lo, hi)
        for m, dts in band_crossings(run, rows, names, bands).items():
            banded[m] += dts
    if args.csv:
        with open(args.csv, "w") as f:
            w = csv.writer(f)
            w.writerow(["track_id", "truth", "time", "true_range_m", "along_m", "across_m",
                        "along_sigmas", "along_speed_err_mps", "status"])
            w.writerows(rows)

    def stats(v):
        k = len(v)
        if k == 0:
            return (0, float("nan"), float("nan"))
        m = sum(v) / k
        sd = math.sqrt(sum((x - m) ** 2 for x in v) / (k - 1)) if k > 1 else float("nan")
        return (k, m, sd)

    bins = defaultdict(list)
    for row in rows:
        bins[int(row[3] // args.bin)].append(row)
    label = f"{args.label}: " if args.label else ""
    print(f"{label}{len(rows)} camera-only updates of {sum(paired.values())} tracks, paired with "
          + ", ".join(f"{k} {v}" for k, v in sorted(paired.items())))
    print(f"{'true range m':>14} {'n':>5} {'along mean':>10} {'sd':>7} {'across mean':>11} "
          f"{'sd':>6} {'along/sig mean':>14} {'sd':>5} {'v along mean':>12} {'sd':>5}")
    for b in sorted(bins):
        v = bins[b]
        n, ma, sa = stats([x[4] for x in v])
        _, mc, sc = stats([x[5] for x in v])
        _, mz, sz = stats([x[6] for x in v])
        _, mv, sv = stats([x[7] for x in v])
        print(f"{b * args.bin:6.0f}-{(b + 1) * args.bin:<6.0f} {n:5d} {ma:10.1f} {sa:7.1f} "
              f"{mc:11.1f} {sc:6.1f} {mz:14.2f} {sz:5.2f} {mv:12.2f} {sv:5.2f}")
    n, ma, sa = stats([x[4] for x in rows])
    _, mz, sz = stats([x[6] for x in rows])
    _, mv, sv = stats([x[7] for x in rows])
    print(f"{'all':>13} {n:5d} {ma:10.1f} {sa:7.1f} {'':>11} {'':>6} {mz:14.2f} {sz:5.2f} "
          f"{mv:12.2f} {sv:5.2f}")
    for m in bands:
        k, mdt, sdt = stats(banded[m])
        print(f"band {m:4.0f} m: {k} tracks, {mdt:+.0f} s mean, sd {sdt:.0f}; "
              f"{sum(d < -30 for d in banded[m])} more than 30 s early, "
              f"{sum(d > 120 for d in banded[m])} more than 120 s late")
    if not crossed:
        return 0
    for label, dt, at, mean in crossed:
        print(f"{label}: crossed {dt:+5.0f} s, along-ray then {at:+7.1f} m, "
              f"over {args.crossings} m {mean:+7.1f} m")
    k, mdt, sdt = stats([c[1] for c in crossed])
    _, mat, sat = stats([c[2] for c in crossed])
    _, mme, _ = stats([c[3] for c in crossed])
    print(f"{k} crossings: {mdt:+.1f} s mean, sd {sdt:.1f}; {sum(c[1] < -30 for c in crossed)} "
          f"more than 30 s early, {sum(c[1] > 120 for c in crossed)} more than 120 s late; "
          f"along-ray at the crossing {mat:+.1f} m sd {sat:.1f}, over the approach {mme:+.1f} m")


if __name__ == "__main__":
    sys.exit(main())
