#!/usr/bin/python3
"""Joins a soak's samples (run_soak.sh: server.csv every 5 s, client.jsonl every 5 s) into
soak.csv, draws soak.png and prints the summary figures. Uses Debian's python3-matplotlib.

    plot_soak.py OUT_DIR [--warmup 60]
"""
import csv
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    out = sys.argv[1]
    warmup = float(sys.argv[sys.argv.index("--warmup") + 1]) if "--warmup" in sys.argv else 60.0
    with open(f"{out}/server.csv") as f:
        server = [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]
    client = []
    with open(f"{out}/client.jsonl") as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                client.append(json.loads(line))
    if not server or not client:
        sys.exit("plot_soak.py: no samples")

    # Each server sample with the client window nearest in time (both every 5 s).
    rows = []
    for s in server:
        c = min(client, key=lambda c: abs(c["t"] - s["t_s"]))
        rows.append({**s, "sent_rate": c["sent_rate"], "lat_p50_ms": c["lat_p50_ms"],
                     "lat_p90_ms": c["lat_p90_ms"], "lat_p99_ms": c["lat_p99_ms"],
                     "lat_max_ms": c["lat_max_ms"], "age_p99_ms": c["age_p99_ms"],
                     "alerts": c["alerts"], "acks_ok": c["acks_ok"]})
    with open(f"{out}/soak.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)

    t = [r["t_s"] for r in rows]
    fig, ax = plt.subplots(5, 1, figsize=(10, 14), sharex=True)
    for key, label in (("lat_p50_ms", "p50"), ("lat_p99_ms", "p99"), ("lat_max_ms", "max")):
        ax[0].plot(t, [max(r[key], 0.01) for r in rows], label=label)
    ax[0].set_yscale("log")
    ax[0].set_ylabel("message to track (ms)")
    ax[0].axhline(5, color="grey", linestyle=":", label="goal p99 5 ms")
    ax[0].legend(loc="upper left")
    ax[1].plot(t, [r["rss_mb"] for r in rows], label="server RSS")
    ax[1].set_ylabel("RSS (MB)")
    for key, label in (("db_mb", "store"), ("history_mb", "track history"),
                       ("recording_mb", "recording")):
        ax[2].plot(t, [r[key] for r in rows], label=label)
    ax[2].set_ylabel("disk (MB)")
    ax[2].legend(loc="upper left")
    for key, label in (("queue_depth", "ingest queue"), ("late_dropped", "late drops (total)"),
                       ("history_backlog", "history backlog"),
                       ("held_messages", "held messages"),
                       ("persist_dropped", "persistence drops (total)")):
        ax[3].plot(t, [r[key] for r in rows], label=label)
    ax[3].set_ylabel("count")
    ax[3].legend(loc="upper left")
    for key, label in (("server_cpu_pct", "server"), ("client_cpu_pct", "sender (nice 10)")):
        ax[4].plot(t, [r[key] for r in rows], label=label)
    ax[4].set_ylabel("CPU (% of one core)")
    ax[4].set_xlabel("seconds")
    ax[4].legend(loc="upper left")
    fig.suptitle(f"picket serve soak ({out})")
    fig.tight_layout()
    fig.savefig(f"{out}/soak.png", dpi=80)

    steady = [r for r in rows if r["t_s"] >= warmup] or rows
    first, last = steady[0], steady[-1]
    hours = max(last["t_s"] - first["t_s"], 1) / 3600
    rss_change = 100 * (last["rss_mb"] - first["rss_mb"]) / max(first["rss_mb"], 1)
    p50s = sorted(r["lat_p50_ms"] for r in steady)
    summary = {
        "samples": len(rows),
        "steady_from_s": first["t_s"],
        "sent_rate_median": sorted(r["sent_rate"] for r in steady)[len(steady) // 2],
        "lat_p50_ms_median_window": p50s[len(p50s) // 2],
        "lat_p90_ms_worst_window": max(r["lat_p90_ms"] for r in steady),
        "lat_p99_ms_worst_window": max(r["lat_p99_ms"] for r in steady),
        "lat_max_ms": max(r["lat_max_ms"] for r in steady),
        "rss_mb_first_last": [first["rss_mb"], last["rss_mb"]],
        "rss_change_pct": round(rss_change, 1),
        "late_dropped": last["late_dropped"],
        "queue_depth_max": max(r["queue_depth"] for r in steady),
        "persist_dropped": last["persist_dropped"],
        "server_cpu_pct_mean": round(sum(r["server_cpu_pct"] for r in steady) / len(steady), 1),
        "sender_cpu_pct_mean": round(sum(r["client_cpu_pct"] for r in steady) / len(steady), 1),
        "mb_per_day": {k: round((last[k] - first[k]) / hours * 24)
                       for k in ("db_mb", "history_mb", "recording_mb")},
        "load1_mean": round(sum(r["load1"] for r in steady) / len(steady), 1),
    }
    with open(f"{out}/summary.json", "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary, indent=1))
    print(f"soak: {out}/soak.csv, {out}/soak.png, {out}/summary.json")


if __name__ == "__main__":
    main()
