#!/usr/bin/python3
"""Stone Soup's GNN tracker over a detections CSV, writing tracks in `picket track`'s format.

The reference the comparison (compare_stonesoup.py) measures picket against, configured as in
issue 13: 2-D assignment GNN with a kd-tree pre-gate, constant-velocity Kalman filter with
q = 0.05 m^2/s^3 per axis, a 3-sigma Mahalanobis gate, a 3-point initiator and a deleter after 5
scans without an update. Needs Stone Soup (github dstl/Stone-Soup) on PYTHONPATH and Debian's
python3-numpy/-scipy/... (scripts/setup-bench.sh). Stone Soup's code is not part of picket.

    PYTHONPATH=/work/ext/stonesoup stonesoup_gnn.py --in det.csv --out tracks.csv --sigma 10

Prints one JSON line to stdout: scans, seconds of tracking (CSV reading excluded), ms per scan.
"""
import argparse
import csv
import datetime
import json
import sys
import time

import numpy as np
from scipy.spatial import KDTree

from stonesoup.dataassociator.tree import DetectionKDTreeGNN2D
from stonesoup.deleter.time import UpdateTimeStepsDeleter
from stonesoup.hypothesiser.distance import DistanceHypothesiser
from stonesoup.initiator.simple import MultiMeasurementInitiator
from stonesoup.measures import Mahalanobis
from stonesoup.models.measurement.linear import LinearGaussian
from stonesoup.models.transition.linear import (CombinedLinearGaussianTransitionModel,
                                                ConstantVelocity)
from stonesoup.predictor.kalman import KalmanPredictor
from stonesoup.types.detection import Detection
from stonesoup.types.state import GaussianState
from stonesoup.updater.kalman import KalmanUpdater

EPOCH = datetime.datetime(2026, 1, 1)


class ExactRadiusKDTreeGNN2D(DetectionKDTreeGNN2D):
    """DetectionKDTreeGNN2D whose kd-tree query radius per track is exactly the extent of its
    Mahalanobis gate (gate x sqrt of the largest eigenvalue of S): the same hypotheses as an
    infinite radius, without hypothesising every far detection (N = 1,000 with 5 N clutter)."""
    gate_sigmas: float = 3.0

    def generate_hypotheses(self, tracks, detections, timestamp, **kwargs):
        if not tracks or not detections:
            return {track: self.hypothesiser.hypothesise(track, set(), timestamp, **kwargs)
                    for track in tracks}
        detections_list = list(detections)
        model = detections_list[0].measurement_model
        tree = KDTree(np.vstack([d.state_vector[:, 0] for d in detections_list]))
        out = {}
        for track in tracks:
            prediction = self.predictor.predict(track, timestamp, **kwargs)
            meas_pred = self.updater.predict_measurement(prediction, model, **kwargs)
            radius = self.gate_sigmas * np.sqrt(np.max(np.linalg.eigvalsh(meas_pred.covar)))
            near = tree.query_ball_point(np.ravel(meas_pred.state_vector), r=radius * 1.0001)
            out[track] = self.hypothesiser.hypothesise(
                track, {detections_list[i] for i in near}, timestamp, **kwargs)
        return out


def read_scans(path, model):
    rows = {}
    with open(path, newline="") as f:
        reader = csv.DictReader(row for row in f if row.strip() and not row.startswith("#"))
        for r in reader:
            t = float(r["time"])
            rows.setdefault(t, []).append((float(r["x"]), float(r["y"])))
    scans = []
    for t in sorted(rows):
        ts = EPOCH + datetime.timedelta(seconds=t)
        dets = {Detection(np.array([[x], [y]]), timestamp=ts, measurement_model=model)
                for x, y in rows[t]}
        scans.append((t, ts, dets))
    return scans


def build(sigma, q, prior_speed_sigma, gate_sigmas, init_points, init_misses, delete_misses,
          kd_radius):
    transition = CombinedLinearGaussianTransitionModel([ConstantVelocity(q), ConstantVelocity(q)])
    measurement = LinearGaussian(ndim_state=4, mapping=(0, 2),
                                 noise_covar=np.diag([sigma ** 2, sigma ** 2]))
    predictor = KalmanPredictor(transition)
    updater = KalmanUpdater(measurement)
    hypothesiser = DistanceHypothesiser(predictor, updater, measure=Mahalanobis(),
                                        missed_distance=gate_sigmas)

    def associator():
        if kd_radius > 0:
            return DetectionKDTreeGNN2D(hypothesiser=hypothesiser, predictor=predictor,
                                        updater=updater, max_distance=kd_radius)
        a = ExactRadiusKDTreeGNN2D(hypothesiser=hypothesiser, predictor=predictor,
                                   updater=updater)
        a.gate_sigmas = gate_sigmas
        return a

    deleter = UpdateTimeStepsDeleter(time_steps_since_update=delete_misses)
    v2 = prior_speed_sigma ** 2
    initiator = MultiMeasurementInitiator(
        prior_state=GaussianState(np.zeros((4, 1)), np.diag([0, v2, 0, v2])),
        measurement_model=measurement,
        deleter=UpdateTimeStepsDeleter(time_steps_since_update=init_misses),
        data_associator=associator(), updater=updater, min_points=init_points)
    return associator(), updater, deleter, initiator


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--in", dest="inp", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sigma", type=float, default=10.0, help="detection noise per axis, m")
    ap.add_argument("--q", type=float, default=0.05, help="CV noise diffusion coefficient")
    ap.add_argument("--prior-speed-sigma", type=float, default=10.0,
                    help="initiator's velocity prior, m/s (targets move at 3-15 m/s)")
    ap.add_argument("--gate", type=float, default=3.0, help="Mahalanobis gate, sigmas")
    ap.add_argument("--init-points", type=int, default=3)
    ap.add_argument("--init-misses", type=int, default=3,
                    help="holding (tentative) tracks dropped after this many scans without update")
    ap.add_argument("--delete-misses", type=int, default=5)
    ap.add_argument("--kd-radius", type=float, default=0.0,
                    help="kd-tree pre-gate radius, m; 0 (default): each track's exact gate extent")
    a = ap.parse_args()

    associator, updater, deleter, initiator = build(
        a.sigma, a.q, a.prior_speed_sigma, a.gate, a.init_points, a.init_misses,
        a.delete_misses, a.kd_radius)
    scans = read_scans(a.inp, updater.measurement_model)
    tracks = set()
    start = time.process_time()
    rows = []
    ids = {}  # track -> number; holds every track, so no id is ever reused
    for t, ts, dets in scans:
        associations = associator.associate(tracks, dets, ts)
        used = set()
        for track, hyp in associations.items():
            if hyp:
                track.append(updater.update(hyp))
                used.add(hyp.measurement)
            else:
                track.append(hyp.prediction)
        tracks -= deleter.delete_tracks(tracks)
        tracks |= initiator.initiate(dets - used, ts)
        for track in tracks:
            s = track.state
            # A track just released by the initiator may end at an earlier scan: predict it.
            x = s.state_vector
            dt = (ts - s.timestamp).total_seconds()
            rows.append((t, ids.setdefault(track, len(ids) + 1), float(x[0, 0]) + float(x[1, 0]) * dt,
                         float(x[2, 0]) + float(x[3, 0]) * dt, float(x[1, 0]), float(x[3, 0])))
    elapsed = time.process_time() - start
    with open(a.out, "w") as f:
        f.write("time,track_id,x,y,vx,vy\n")
        for t, n, x, y, vx, vy in rows:
            f.write(f"{t:.6f},{n},{x:.3f},{y:.3f},{vx:.4f},{vy:.4f}\n")
    json.dump({"scans": len(scans), "cpu_s": elapsed,
               "ms_per_scan": 1e3 * elapsed / max(1, len(scans))}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
