#!/usr/bin/python3
"""Per-pixel least-squares peak fitting with lmfit: the peer a spectroscopist would reach for.

Model per spectrum: K Gaussians (lmfit GaussianModel, amplitude = integrated area in
counts x energy unit) + a linear background (LinearModel), Levenberg-Marquardt ('leastsq').
Every pixel starts from the same initial values the EM uses (the mean-spectrum fit), passed in
the JSON init file, so the comparison is of the fitting algorithm, not of the starting point.

lmfit fits one spectrum at a time in Python, so the bench fits a SUBSET of the pixels
(--limit N, evenly spread over the map) and the caller extrapolates spectra/s.

Usage:
  /usr/bin/python3 bench/peers/peaks_lmfit.py DATA.npy ENERGY.npy INIT.json [--limit 300]
    DATA.npy    float32 [pixels, channels] counts
    ENERGY.npy  float64 [channels]
    INIT.json   {"positions": [...], "sigmas": [...], "areas": [...]}  (areas in counts)
Prints one JSON object on stdout: pixels, indices, time_s, and per-peak position/fwhm/area
(area in counts, i.e. amplitude / channel width, comparable with the EM's area) and success.
"""
import argparse
import json
import sys
import time

import numpy as np
from lmfit.models import GaussianModel, LinearModel
from peaks_io import load_spectra

FWHM_PER_SIGMA = 2.0 * np.sqrt(2.0 * np.log(2.0))


def build_model(k):
    model = LinearModel(prefix="bg_")
    for i in range(k):
        model = model + GaussianModel(prefix=f"p{i + 1}_")
    return model


def initial_params(model, init, x, y_mean_level, lo, hi, step):
    params = model.make_params()
    params["bg_slope"].set(value=0.0)
    params["bg_intercept"].set(value=y_mean_level)
    for i, (mu, s, area) in enumerate(zip(init["positions"], init["sigmas"], init["areas"])):
        p = f"p{i + 1}_"
        params[p + "center"].set(value=mu, min=lo, max=hi)
        params[p + "sigma"].set(value=s, min=1e-3, max=hi - lo)
        params[p + "amplitude"].set(value=max(area, 1e-6) * step, min=0.0)
    return params


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data")
    ap.add_argument("energy")
    ap.add_argument("init")
    ap.add_argument("--limit", type=int, default=300, help="pixels to fit (evenly spaced); 0 = all")
    a = ap.parse_args(argv)

    y_all, x = load_spectra(a.data, a.energy, "peaks_lmfit")
    with open(a.init) as f:
        init = json.load(f)
    k = len(init["positions"])
    n_pix = y_all.shape[0]
    limit = n_pix if a.limit <= 0 else min(a.limit, n_pix)
    idx = np.unique(np.linspace(0, n_pix - 1, limit).round().astype(int))

    step = abs(float(x[1] - x[0]))
    lo, hi = float(x.min()), float(x.max())
    model = build_model(k)
    pos = np.full((k, idx.size), np.nan)
    fwhm = np.full((k, idx.size), np.nan)
    area = np.full((k, idx.size), np.nan)
    success = np.zeros(idx.size, dtype=bool)
    nfev = np.zeros(idx.size, dtype=int)

    t0 = time.perf_counter()
    for j, p in enumerate(idx):
        y = y_all[p].astype(np.float64)
        params = initial_params(model, init, x, float(np.percentile(y, 10)), lo, hi, step)
        try:
            r = model.fit(y, params, x=x, method="leastsq")
        except Exception:  # a failed fit is a result (success = False), not a crash of the bench
            continue
        success[j] = bool(r.success)
        nfev[j] = int(r.nfev)
        for i in range(k):
            q = f"p{i + 1}_"
            pos[i, j] = r.params[q + "center"].value
            fwhm[i, j] = r.params[q + "sigma"].value * FWHM_PER_SIGMA
            area[i, j] = r.params[q + "amplitude"].value / step
    elapsed = time.perf_counter() - t0

    def clean(a2):
        return [[None if not np.isfinite(v) else float(v) for v in row] for row in a2]

    print(json.dumps({
        "peer": "lmfit",
        "version": __import__("lmfit").__version__,
        "model": f"{k} x GaussianModel + LinearModel, leastsq",
        "pixels": int(idx.size),
        "indices": idx.tolist(),
        "time_s": elapsed,
        "position": clean(pos),
        "fwhm": clean(fwhm),
        "area": clean(area),
        "success": success.astype(int).tolist(),
        "median_nfev": float(np.median(nfev)) if idx.size else 0.0,
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
