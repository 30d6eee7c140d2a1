#!/usr/bin/python3
"""picket against Stone Soup's GNN tracker on generated scenes: a benchmark, not a CI test.

Generates 2-D nearly-constant-velocity scenes (q = 0.05 m^2/s^3, speeds 3-15 m/s, births and
deaths staggered through the run, about 1 target per km^2, detections with sigma 10 m per axis,
probability of detection Pd, Poisson clutter of clutter x N per scan uniform over the area),
runs `picket track --sigma` (out of the box: no other option) and Stone Soup's GNN tracker
(stonesoup_gnn.py) on the same files, scores both with `picket score` (OSPA c = 100 m, p = 1)
and prints one table row per regime (means over seeds) plus the goals of issue 13.

    bench/tracking/compare_stonesoup.py --preset dev          # the seeds and regimes tuned on
    bench/tracking/compare_stonesoup.py --preset report       # held-out seeds, every regime
    bench/tracking/compare_stonesoup.py --targets 100 --scan 1 --seeds 1 --no-stonesoup

Needs scripts/setup-bench.sh (Debian python3-numpy etc.) and a Stone Soup checkout (--stonesoup,
default $STONESOUP or /work/ext/stonesoup). Scenes, track files and Stone Soup's results are kept
in --work (default /tmp/picket-compare): Stone Soup runs once per scene and settings.
"""
import argparse
import hashlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# Seeds: `dev` is what the tracker's defaults were developed on; `report` seeds were never looked
# at while tuning (the held-out check of "generalise, don't tune").
PRESETS = {
    "dev": dict(seeds=[1, 2], targets=[100, 1000], scan=[1, 4, 10],
                regimes=[(0.9, 0.5), (0.7, 5.0)]),
    "report": dict(seeds=[101, 102, 103], targets=[100, 1000], scan=[1, 4, 10],
                   regimes=[(0.9, 0.5), (0.95, 0.5), (0.7, 0.5), (0.9, 2.0), (0.95, 5.0),
                            (0.7, 5.0)]),
    "issue": dict(seeds=[101, 102, 103], targets=[100, 1000], scan=[1], regimes=[(0.9, 0.5)]),
}


# ------------------------------------------------------------------------------------------------
# Scenes

def make_scene(n, scan_s, pd, clutter, seed, scans=100, sigma=10.0, q=0.05,
               speed=(3.0, 15.0), density_per_km2=1.0):
    """Returns (truth rows (t, id, x, y), detection rows (t, x, y, truth_id)). N targets over the
    run: half present from the start, the others born at a uniform time in the first 60 %; half
    live to the end, the others die at a uniform time at least 20 % of the run after birth."""
    rng = np.random.Generator(np.random.PCG64(seed * 1_000_003 + n * 7 + int(scan_s * 10)))
    side = 1000.0 * np.sqrt(n / density_per_km2)
    duration = (scans - 1) * scan_s
    birth = np.where(rng.random(n) < 0.5, 0.0, rng.uniform(0, 0.6 * duration, n))
    birth = np.floor(birth / scan_s) * scan_s
    lives_on = rng.random(n) < 0.5
    death = np.where(lives_on, np.inf,
                     birth + 0.2 * duration + rng.uniform(0, 1, n) * (duration - birth - 0.2 * duration))
    heading = rng.uniform(0, 2 * np.pi, n)
    v = rng.uniform(speed[0], speed[1], n)
    state = np.column_stack([rng.uniform(0, side, n), v * np.sin(heading),
                             rng.uniform(0, side, n), v * np.cos(heading)])
    # Exact CWNA increments per axis: [dp, dv] ~ N(0, q [T^3/3, T^2/2; T^2/2, T]).
    T = scan_s
    cov = q * np.array([[T ** 3 / 3, T ** 2 / 2], [T ** 2 / 2, T]])
    chol = np.linalg.cholesky(cov)
    truth, dets = [], []
    for k in range(scans):
        t = k * scan_s
        if k > 0:
            for axis in (0, 2):
                w = rng.standard_normal((n, 2)) @ chol.T
                state[:, axis] += state[:, axis + 1] * T + w[:, 0]
                state[:, axis + 1] += w[:, 1]
        alive = (birth <= t + 1e-9) & (t < death)
        scan = []
        for i in np.nonzero(alive)[0]:
            truth.append((t, i + 1, state[i, 0], state[i, 2]))
            if rng.random() < pd:
                e = rng.standard_normal(2) * sigma
                scan.append((t, state[i, 0] + e[0], state[i, 2] + e[1], i + 1))
        for _ in range(rng.poisson(clutter * n)):
            scan.append((t, rng.uniform(0, side), rng.uniform(0, side), -1))
        order = rng.permutation(len(scan))
        dets.extend(scan[j] for j in order)
    return truth, dets


def write_scene(path_base, truth, dets):
    with open(path_base + ".truth.csv", "w") as f:
        f.write("time,truth_id,x,y\n")
        for t, i, x, y in truth:
            f.write(f"{t:.3f},{i},{x:.3f},{y:.3f}\n")
    with open(path_base + ".det.csv", "w") as f:
        f.write("time,x,y,truth_id\n")
        for t, x, y, i in dets:
            f.write(f"{t:.3f},{x:.3f},{y:.3f},{i}\n")


def filter_floor(scan_s, pd, sigma=10.0, q=0.05, steps=20000, seed=5):
    """sqrt(E[trace P_pos]) of a Kalman filter that knows the association (CV, q, sigma), updated
    when the target is detected (probability pd) and predicted otherwise, in steady state: the
    position RMSE no tracker can beat on these scenes, reported after each scan."""
    T = scan_s
    F = np.array([[1, T], [0, 1]])
    Q = q * np.array([[T ** 3 / 3, T ** 2 / 2], [T ** 2 / 2, T]])
    R = sigma ** 2
    P = np.diag([R, 100.0])
    rng = np.random.Generator(np.random.PCG64(seed))
    acc, count = 0.0, 0
    for k in range(steps):
        P = F @ P @ F.T + Q
        if rng.random() < pd:
            S = P[0, 0] + R
            K = P[:, 0] / S
            P = P - np.outer(K, P[0, :])
        if k > 200:
            acc += P[0, 0]
            count += 1
    return float(np.sqrt(2 * acc / count))  # two axes


# ------------------------------------------------------------------------------------------------
# Runs

def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    return p


def score(picket, truth, tracks):
    p = run([picket, "score", "--truth", truth, "--tracks", tracks, "--c", "100", "--p", "1"])
    return json.loads(p.stdout)


def run_picket(picket, base, tag, extra):
    out = f"{base}.{tag}.tracks.csv"
    t0 = time.perf_counter()
    run([picket, "track", "--in", base + ".det.csv", "--out", out, "--sigma", "10"] + extra)
    return out, time.perf_counter() - t0


def run_stonesoup(stonesoup, base, args):
    sig = hashlib.sha1(" ".join(args).encode()).hexdigest()[:8]
    out = f"{base}.ss-{sig}.tracks.csv"
    meta = out + ".json"
    if not (os.path.exists(out) and os.path.exists(meta)):
        env = dict(os.environ, PYTHONPATH=stonesoup)
        p = run(["/usr/bin/python3", os.path.join(HERE, "stonesoup_gnn.py"), "--in",
                 base + ".det.csv", "--out", out, "--sigma", "10"] + args, env=env)
        with open(meta, "w") as f:
            f.write(p.stdout)
    with open(meta) as f:
        return out, json.load(f)


# ------------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(PRESETS))
    ap.add_argument("--seeds", help="comma list")
    ap.add_argument("--targets", help="comma list of N")
    ap.add_argument("--scan", help="comma list of scan intervals, s")
    ap.add_argument("--regimes", help="comma list of pd:clutter pairs, e.g. 0.9:0.5,0.7:5")
    ap.add_argument("--scans", type=int, default=100)
    ap.add_argument("--density", type=float, default=1.0,
                    help="targets per km^2 (issue 13's scenes: 1; another geography: e.g. 0.25 or 4)")
    ap.add_argument("--picket", default=os.path.join(REPO, "build/release/src/picket"))
    ap.add_argument("--picket-args", default="", help="extra `picket track` options (default none)")
    ap.add_argument("--stonesoup", default=os.environ.get("STONESOUP", "/work/ext/stonesoup"))
    ap.add_argument("--stonesoup-args", default="", help="extra stonesoup_gnn.py options")
    ap.add_argument("--no-stonesoup", action="store_true")
    ap.add_argument("--work", default="/tmp/picket-compare")
    ap.add_argument("--per-seed", action="store_true", help="one row per seed, not the mean")
    ap.add_argument("--json", help="also write every row as JSON lines here")
    a = ap.parse_args()

    p = dict(PRESETS.get(a.preset or "dev"))
    if a.seeds:
        p["seeds"] = [int(s) for s in a.seeds.split(",")]
    if a.targets:
        p["targets"] = [int(s) for s in a.targets.split(",")]
    if a.scan:
        p["scan"] = [float(s) for s in a.scan.split(",")]
    if a.regimes:
        p["regimes"] = [tuple(float(v) for v in r.split(":")) for r in a.regimes.split(",")]
    if not os.path.exists(a.picket):
        sys.exit(f"no picket binary at {a.picket} (build it, or pass --picket)")
    os.makedirs(a.work, exist_ok=True)
    extra = a.picket_args.split()
    ss_args = a.stonesoup_args.split()
    tag = "picket-" + hashlib.sha1((a.picket_args + str(os.path.getmtime(a.picket))).encode()).hexdigest()[:8]

    hdr = ("| N | scan s | Pd | clutter/N | seeds | OSPA picket / SS (ratio) | ID sw picket / SS (MOT) | "
           "false tracks picket / SS | settled RMSE picket / SS / floor m | ms/scan picket / SS |")
    print(hdr)
    print("|" + "---|" * 10)
    sys.stdout.flush()
    jl = open(a.json, "a") if a.json else None
    goals_failed = []
    for n, scan_s, (pd, clutter) in itertools.product(p["targets"], p["scan"], p["regimes"]):
        rows = []
        for seed in p["seeds"]:
            dens = "" if a.density == 1.0 else f"-d{a.density:g}"
            base = os.path.join(a.work, f"n{n}-s{scan_s:g}-pd{pd:g}-c{clutter:g}-seed{seed}-k{a.scans}{dens}")
            if not os.path.exists(base + ".det.csv"):
                write_scene(base, *make_scene(n, scan_s, pd, clutter, seed, scans=a.scans,
                                              density_per_km2=a.density))
            pk_out, pk_s = run_picket(a.picket, base, tag, extra)
            r = {"n": n, "scan_s": scan_s, "pd": pd, "clutter": clutter, "seed": seed,
                 "picket": score(a.picket, base + ".truth.csv", pk_out),
                 "picket_ms_per_scan": 1e3 * pk_s / a.scans}
            if not a.no_stonesoup:
                ss_out, meta = run_stonesoup(a.stonesoup, base, ss_args)
                r["stonesoup"] = score(a.picket, base + ".truth.csv", ss_out)
                r["stonesoup_ms_per_scan"] = meta["ms_per_scan"]
            rows.append(r)
            if jl:
                jl.write(json.dumps(r) + "\n")
        groups = [[r] for r in rows] if a.per_seed else [rows]
        floor = filter_floor(scan_s, pd)
        for g in groups:
            def mean(key, who):
                return statistics.mean(r[who][key] for r in g)

            def total(key, who):
                return sum(r[who][key] for r in g)

            seeds = ",".join(str(r["seed"]) for r in g)
            po, pi, pf, pr = (mean("ospa", "picket"), total("id_switches", "picket"),
                              total("false_tracks", "picket"), mean("position_rmse_settled_m", "picket"))
            pim = total("id_switches_mot", "picket")
            pms = statistics.mean(r["picket_ms_per_scan"] for r in g)
            if a.no_stonesoup:
                print(f"| {n} | {scan_s:g} | {pd:g} | {clutter:g} | {seeds} | {po:.2f} | {pi} ({pim}) | "
                      f"{pf} | {pr:.2f} / {floor:.2f} | {pms:.1f} |")
                continue
            so, si, sf, sr = (mean("ospa", "stonesoup"), total("id_switches", "stonesoup"),
                              total("false_tracks", "stonesoup"),
                              mean("position_rmse_settled_m", "stonesoup"))
            sim = total("id_switches_mot", "stonesoup")
            sms = statistics.mean(r["stonesoup_ms_per_scan"] for r in g)
            print(f"| {n} | {scan_s:g} | {pd:g} | {clutter:g} | {seeds} | {po:.2f} / {so:.2f} "
                  f"({po / so:.3f}) | {pi} / {si} ({pim} / {sim}) | {pf} / {sf} | {pr:.2f} / {sr:.2f} / "
                  f"{floor:.2f} | {pms:.1f} / {sms:.0f} |")
            misses = []
            if po > 0.95 * so:
                misses.append("OSPA")
            if pi > si / 2:
                misses.append("ID switches")
            if pf > sf:
                misses.append("false tracks")
            if pr > 1.1 * floor:
                misses.append("RMSE")
            if misses:
                goals_failed.append(f"N={n} scan={scan_s:g} Pd={pd:g} clutter={clutter:g} "
                                    f"seeds {seeds}: {', '.join(misses)}")
        sys.stdout.flush()
    if not a.no_stonesoup:
        print()
        print("goals (OSPA <= 0.95 x SS, ID switches <= SS / 2, false tracks <= SS, "
              "RMSE <= 1.1 x floor):", "all met" if not goals_failed else "missed")
        for g in goals_failed:
            print("  -", g)


if __name__ == "__main__":
    main()
