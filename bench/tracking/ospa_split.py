#!/usr/bin/python3
"""Where the OSPA goes: mean OSPA (c = 100 m, p = 1) split per scan into its localisation and
cardinality parts, by cause, for picket's and Stone Soup's track files of compare_stonesoup.py's
scenes (a benchmark aid, not a CI test; docs/benchmarks.md, "Where the Pd 0.7 gap is").

Per scan OSPA_t = (sum of the real pairs' d + c max(m - k, n - k)) / max(m, n): m truths, n tracks,
k pairs closer than c in the optimal assignment (the score's own, `picket score`). Summed over the
scans and divided by their number, the parts add up to the mean OSPA:
  * localisation of a pair: `hit` when the truth has a plot in that scan, `coast` when it has
    none (the track is predicted); `young-` within 3 scans of the truth's first pairing;
  * the cardinality part c max(m - k, n - k) / max(m, n), shared over that scan's unpaired truths
    and tracks alike: a truth missed before its first pairing (`birth`: late confirmation) or
    after it (`after-first`: hidden or deleted at a run of misses); a track never paired
    (`clutter`), one whose truths have all died (`after-death`: shown after its target ended),
    any other (`other`: a duplicate, or off its target).
Then, per truth, the plots it gave and the scans it took up to its first pairing, for the truths
present at the first scan (the start-up, when the feed has learned nothing) and those born later.

    /usr/bin/python3 bench/tracking/ospa_split.py --scene n100-s4-pd0.7-c0.5 --seeds 1,2,3 \\
        ss-da39a3ee picket-3efc5b86
(tags: the part of the track files' names between the scene and .tracks.csv in --work.)
"""
import argparse
import collections

import numpy as np
from scipy.optimize import linear_sum_assignment

C = 100.0
KEYS = ["loc:young-hit", "loc:young-coast", "loc:hit", "loc:coast", "miss:birth", "miss:after-first",
        "false:clutter", "false:after-death", "false:other"]


def load(path):
    rows = collections.defaultdict(list)
    with open(path) as f:
        next(f)
        for line in f:
            p = line.split(",")
            rows[round(float(p[0]), 3)].append((int(p[1]), float(p[2]), float(p[3])))
    return rows


def pairs_at(T, K):
    if not T or not K:
        return [], None
    a = np.array([[x, y] for (_, x, y) in T])
    b = np.array([[x, y] for (_, x, y) in K])
    D = np.minimum(np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2), C)
    ri, ci = linear_sum_assignment(D)
    return [(r, c) for r, c in zip(ri, ci) if D[r, c] < C], D


def split(base, tag):
    truth = load(base + ".truth.csv")
    tracks = load(f"{base}.{tag}.tracks.csv")
    plots = collections.defaultdict(set)  # time -> truths with a plot
    with open(base + ".det.csv") as f:
        next(f)
        for line in f:
            p = line.split(",")
            if int(p[3]) >= 0:
                plots[round(float(p[0]), 3)].add(int(p[3]))
    times = sorted(truth)
    dt = times[1] - times[0]
    acc = collections.Counter()
    first_paired, born = {}, {}
    track_truths = collections.defaultdict(set)
    sq = collections.defaultdict(lambda: [0.0, 0])
    ospa = 0.0
    for t in times:
        T, K = truth.get(t, []), tracks.get(t, [])
        for (i, _, _) in T:
            born.setdefault(i, t)
        m, n = len(T), len(K)
        if m == 0 and n == 0:
            continue
        mx = max(m, n)
        pairs, D = pairs_at(T, K)
        k = len(pairs)
        for r, c in pairs:
            ti, ki = T[r][0], K[c][0]
            first_paired.setdefault(ti, t)
            kind = ("young-" if t - first_paired[ti] < 3 * dt - 1e-9 else "") + \
                ("hit" if ti in plots[t] else "coast")
            acc["loc:" + kind] += D[r, c] / mx
            sq[kind][0] += D[r, c] ** 2
            sq[kind][1] += 1
            track_truths[ki].add(ti)
        card = C * max(m - k, n - k)
        ospa += (sum(D[r, c] for r, c in pairs) + card) / mx
        paired_t = {r for r, _ in pairs}
        paired_k = {c for _, c in pairs}
        alive = {ti for (ti, _, _) in T}
        causes = ["miss:after-first" if ti in first_paired else "miss:birth"
                  for r, (ti, _, _) in enumerate(T) if r not in paired_t]
        for c, (ki, _, _) in enumerate(K):
            if c in paired_k:
                continue
            tt = track_truths.get(ki)
            causes.append("false:clutter" if not tt else
                          "false:after-death" if all(x not in alive for x in tt) else "false:other")
        for cause in causes:
            acc[cause] += card / mx / len(causes)
            acc["n:" + cause] += 1
    res = {key: v / len(times) for key, v in acc.items() if not key.startswith("n:")}
    res.update({key: v for key, v in acc.items() if key.startswith("n:")})
    res["ospa"] = ospa / len(times)
    res["sq"] = dict(sq)
    # Plots and scans up to the first pairing, per truth: start-up (present at the first scan)
    # and later births.
    truth_plots = collections.defaultdict(list)
    for t, ids in plots.items():
        for i in ids:
            truth_plots[i].append(t)
    births = {"start-up": [], "later": []}
    for i, t0 in born.items():
        if i in first_paired:
            n_plots = sum(1 for t in truth_plots[i] if t <= first_paired[i] + 1e-6)
            births["start-up" if t0 == times[0] else "later"].append(
                (n_plots, (first_paired[i] - t0) / dt))
    res["births"] = births
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default="/tmp/picket-compare")
    ap.add_argument("--scene", required=True, help="e.g. n100-s4-pd0.7-c0.5 (without -seedN-k100)")
    ap.add_argument("--seeds", required=True, help="comma list")
    ap.add_argument("--scans", type=int, default=100)
    ap.add_argument("tags", nargs="+", help="track files' tags, e.g. ss-da39a3ee picket-3efc5b86")
    a = ap.parse_args()
    print(f"{'tag':16s} {'OSPA':>6s} " + " ".join(f"{k.split(':')[1]:>11s}" for k in KEYS))
    for tag in a.tags:
        rs = [split(f"{a.work}/{a.scene}-seed{s}-k{a.scans}", tag) for s in a.seeds.split(",")]

        def mean(key):
            return sum(r.get(key, 0) for r in rs) / len(rs)
        print(f"{tag:16s} {mean('ospa'):6.2f} " + " ".join(f"{mean(k):11.3f}" for k in KEYS))
        rmse = []
        for kind in ["young-hit", "young-coast", "hit", "coast"]:
            s = sum(r["sq"].get(kind, [0, 0])[0] for r in rs)
            n = sum(r["sq"].get(kind, [0, 0])[1] for r in rs)
            rmse.append(f"{kind} {np.sqrt(s / n):.2f} m" if n else f"{kind} -")
        items = ", ".join(f"{k.split(':')[1]} {sum(r.get('n:' + k, 0) for r in rs)}"
                          for k in KEYS if not k.startswith("loc:"))
        print(f"{'':16s} pair RMSE: {', '.join(rmse)}; unpaired truth/track-scans: {items}")
        for group in ["start-up", "later"]:
            b = [x for r in rs for x in r["births"][group]]
            hist = collections.Counter(min(n, 7) for n, _ in b)
            print(f"{'':16s} {group:8s} truths {len(b)}: plots up to the first pairing " +
                  " ".join(f"{k}:{hist[k]}" for k in sorted(hist)) +
                  f"; mean scans to it {np.mean([s for _, s in b]):.2f}")


if __name__ == "__main__":
    main()
