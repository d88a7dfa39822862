#!/usr/bin/python3
"""Replica-exchange Monte Carlo for Gaussian peaks, vectorised over spectra x chains x replicas
with numpy (float64): the same model, priors, ladder, sweep counts, uniform Metropolis proposals,
burn-in step adaptation, even/odd exchanges and stepping-stone free energy as specmap's reference
(src/methods/bayes/cpu.ts), so the bench compares implementations of one algorithm. Random numbers
come from numpy's PCG64 (statistics are compared, not draws).

Usage:
  /usr/bin/python3 bench/peers/remc_numpy.py DATA.npy AXIS.npy SETTINGS.json
    DATA.npy      float32 [spectra, channels]
    AXIS.npy      float64 [channels], ascending
    SETTINGS.json {kmax, replicas, ratio, chains, burnIn, sweeps, seed, priors{...}, noiseFloor[spectra]}
Prints one JSON object: spectra, time_s, free_energy [spectra][kmax], k_selected, noise.
"""
import json
import math
import sys
import time

import numpy as np

ADAPT = 25


def run_k(y, x, K, st, rng):
    S, n = y.shape
    C, L = st["chains"], st["replicas"]
    pr = st["priors"]
    P = 3 * K
    betas = np.array([0.0] + [st["ratio"] ** (l + 1 - L) for l in range(1, L)])
    s0 = np.asarray(st["noiseFloor"], dtype=float)[:, None, None]  # [S,1,1]
    inv2s2 = 1.0 / (2.0 * s0 * s0)
    sd = np.tile([math.sqrt(pr["aShape"]) / pr["aRate"], math.sqrt(pr["muVar"]), math.sqrt(pr["bShape"]) / pr["bRate"]], K)
    # Initial states from the prior, positions sorted.
    th = np.empty((S, C, L, P))
    th[..., 0::3] = rng.gamma(pr["aShape"], 1.0 / pr["aRate"], (S, C, L, K))
    th[..., 1::3] = np.sort(pr["muMean"] + math.sqrt(pr["muVar"]) * rng.standard_normal((S, C, L, K)), axis=-1)
    th[..., 2::3] = rng.gamma(pr["bShape"], 1.0 / pr["bRate"], (S, C, L, K))
    perm = np.broadcast_to(np.arange(L), (S, C, L)).copy()  # temperature of each state
    step = np.broadcast_to(np.minimum(2 * sd, sd / np.sqrt(1 + betas[:, None] * n)), (S, C, L, P)).copy()  # by temperature
    win = np.zeros((S, C, L, P))
    lse_m = np.full((S, C, L), -np.inf)
    lse_s = np.zeros((S, C, L))
    yy = y[:, None, None, :]
    sidx = np.arange(S)[:, None, None]
    cidx = np.arange(C)[None, :, None]

    def comp(a, m, b):
        return a[..., None] * np.exp(-0.5 * b[..., None] * (x - m[..., None]) ** 2)

    total = st["burnIn"] + st["sweeps"]
    for sweep in range(total):
        sampling = sweep >= st["burnIn"]
        beta = betas[perm]  # [S,C,L]
        f = np.zeros((S, C, L, n))
        for k in range(K):
            f += comp(th[..., 3 * k], th[..., 3 * k + 1], th[..., 3 * k + 2])
        r = yy - f
        ss = np.einsum("scln,scln->scl", r, r)
        stp = np.take_along_axis(step, perm[..., None], axis=2)  # [S,C,L,P] by state
        for j in range(P):
            k, kind = divmod(j, 3)
            old = th[..., j]
            prop = old + stp[..., j] * (2 * rng.random(old.shape) - 1)
            ok = np.ones(old.shape, bool)
            if kind == 1:
                if k > 0:
                    ok &= prop > th[..., j - 3]
                if k < K - 1:
                    ok &= prop < th[..., j + 3]
                dlp = -((prop - pr["muMean"]) ** 2 - (old - pr["muMean"]) ** 2) / (2 * pr["muVar"])
            else:
                shape, rate = (pr["aShape"], pr["aRate"]) if kind == 0 else (pr["bShape"], pr["bRate"])
                ok &= prop > 0
                dlp = (shape - 1) * np.log(np.where(ok, prop, 1.0) / old) - rate * (prop - old)
            a0, m0, b0 = th[..., 3 * k], th[..., 3 * k + 1], th[..., 3 * k + 2]
            a1 = prop if kind == 0 else a0
            m1 = prop if kind == 1 else m0
            b1 = np.where(ok, prop, b0) if kind == 2 else b0
            d = comp(a1, m1, b1) - comp(a0, m0, b0)
            dss = np.einsum("scln,scln->scl", d, d - 2 * r)
            log_alpha = -beta * dss * inv2s2 + dlp
            acc = ok & (np.log1p(-rng.random(old.shape)) < log_alpha)
            th[..., j] = np.where(acc, prop, old)
            r -= np.where(acc[..., None], d, 0.0)
            ss = ss + np.where(acc, dss, 0.0)
            if not sampling:
                np.add.at(win, (sidx, cidx, perm, j), acc)
        inv = np.argsort(perm, axis=2)  # state holding each temperature
        for t in range(sweep & 1, L - 1, 2):
            lo = inv[..., t]
            hi = inv[..., t + 1]
            ss_lo = np.take_along_axis(ss, lo[..., None], 2)[..., 0]
            ss_hi = np.take_along_axis(ss, hi[..., None], 2)[..., 0]
            la = (betas[t + 1] - betas[t]) * (ss_hi - ss_lo) * inv2s2[..., 0]
            sw = np.log1p(-rng.random(la.shape)) < la
            np.put_along_axis(perm, lo[..., None], np.where(sw, t + 1, t)[..., None], 2)
            np.put_along_axis(perm, hi[..., None], np.where(sw, t, t + 1)[..., None], 2)
        if not sampling:
            if (sweep + 1) % ADAPT == 0:
                step = np.minimum(2 * sd, step * np.clip((win / ADAPT + 0.1) / 0.6, 0.5, 2.0))
                win[:] = 0
            continue
        tt = perm
        valid = tt < L - 1
        dbeta = betas[np.minimum(tt + 1, L - 1)] - betas[tt]
        xs = np.where(valid, -dbeta * ss * inv2s2, -np.inf)
        # Scatter each state's term to its temperature.
        xt = np.full((S, C, L), -np.inf)
        np.put_along_axis(xt, tt, xs, 2)
        m_new = np.maximum(lse_m, xt)
        fin = np.isfinite(m_new)
        lse_s = np.where(fin, lse_s * np.exp(np.where(fin, lse_m - m_new, 0)) + np.exp(np.where(fin, xt - m_new, -np.inf)), 0)
        lse_m = m_new
    # log Z over the ladder, chains pooled.
    terms = C * st["sweeps"]
    part = lse_m + np.log(lse_s)  # [S,C,L]
    mx = part.max(axis=1)
    step_lz = mx + np.log(np.exp(part - mx[:, None, :]).sum(axis=1)) - math.log(terms)  # [S,L]
    logZ = np.concatenate([np.zeros((S, 1)), np.cumsum(step_lz[:, : L - 1], axis=1)], axis=1)
    s0v = np.asarray(st["noiseFloor"], dtype=float)[:, None]
    F = 0.5 * n * np.log(2 * math.pi * s0v**2 / np.maximum(betas[None, :], 1e-300)) - logZ
    F[:, 0] = np.inf
    best = F.argmin(axis=1)
    return F[np.arange(S), best], s0v[:, 0] / np.sqrt(betas[best])


def main():
    y = np.load(sys.argv[1]).astype(float)
    x = np.load(sys.argv[2]).astype(float)
    with open(sys.argv[3]) as fh:
        st = json.load(fh)
    rng = np.random.default_rng(st["seed"])
    t0 = time.perf_counter()
    free, noise = [], []
    for K in range(1, st["kmax"] + 1):
        F, s = run_k(y, x, K, st, rng)
        free.append(F)
        noise.append(s)
    free = np.array(free).T
    ksel = free.argmin(axis=1) + 1
    out = {
        "spectra": int(y.shape[0]),
        "time_s": time.perf_counter() - t0,
        "free_energy": free.tolist(),
        "k_selected": ksel.tolist(),
        "noise": [float(np.array(noise).T[i, k - 1]) for i, k in enumerate(ksel)],
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
