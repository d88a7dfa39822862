#!/usr/bin/python3
"""Spectrum-adapted EM peak fitting per pixel, vectorised over pixels with numpy (float64).

The same EM as specmap's CPU reference (src/methods/peaks/em.ts), so that the bench compares
implementations of one algorithm, not two algorithms:
  * components: K Gaussians truncated to the window [lo, hi] (normalised by their mass inside it)
    and the background densities uniform 1/L, rampUp 2(x-lo)/L^2, rampDown 2(hi-x)/L^2;
  * E-step in log space with max-subtraction; log-likelihood sum_n y_n log sum_j pi_j f_j(x_n);
  * closed-form M-step with the truncation corrections dm, dv taken at the current parameters,
    pooled over position groups (linked doublets: offset, area ratio) and width groups
    (shared width), positions clipped to their bounds, sigma to its bounds;
  * every pixel starts from the same parameters (the mean-spectrum fit specmap computed);
  * stop when |LL_t - LL_{t-1}| <= max(tol |LL_t|, llFloor sqrt(sum_n (y_n (|m_n + log(L/2)| + 1))^2))
    (m_n the largest log term of channel n: the change float32 cannot resolve, which specmap's
    reference applies too so both backends stop at the same point), or when LL drops after the
    first M-step (rounding noise: exact EM never lowers it), or after max_iterations M-steps.
Pixels are processed in blocks; converged pixels leave the active set (so, like the GPU
kernel and the CPU reference, a pixel costs only the iterations it needs).

Usage:
  /usr/bin/python3 bench/peers/peaks_em_numpy.py DATA.npy ENERGY.npy MODEL.json [--block 512]
    DATA.npy    float32 [pixels, channels] counts (>= 0)
    ENERGY.npy  float64 [channels]
    MODEL.json  {"model": <specmap ResolvedPeaks>, "start": {"position", "sigma", "weight"}}
Prints one JSON object: pixels, time_s, per-peak position/fwhm/area, iterations, converged.
"""
import argparse
import json
import math
import sys
import time

import numpy as np
from scipy.special import ndtr
from peaks_io import load_spectra

TINY = 1e-30
MIN_VAR_FACTOR = 1e-6
LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


class Model:
    def __init__(self, m, x):
        self.K = int(m["K"])
        self.group = np.array(m["group"], dtype=int)
        self.offset = np.array(m["offset"], dtype=float)
        self.ratio = np.array(m["ratio"], dtype=float)
        self.G = len(m["groupBase"])
        self.group_base = np.array(m["groupBase"], dtype=int)
        self.group_fixed = np.array(m["groupFixed"], dtype=bool)
        gb = np.array(m["groupBounds"], dtype=float).reshape(self.G, 2)
        self.g_lo, self.g_hi = gb[:, 0], gb[:, 1]
        self.shared = bool(m["sharedWidth"])
        self.width_group = np.zeros(self.K, dtype=int) if self.shared else self.group.copy()
        self.W = 1 if self.shared else self.G
        self.s_lo, self.s_hi = (float(v) for v in m["sigmaBounds"])
        self.max_iter = int(m["maxIterations"])
        self.tol = float(m["tol"])
        self.ll_floor = float(m.get("llFloor", 0.0))
        self.lo = float(m["window"]["lo"])
        self.hi = float(m["window"]["hi"])
        L = self.hi - self.lo
        self.log_half_L = math.log(L / 2.0)
        # Indicator matrices: peak -> position group, peak -> width group.
        self.to_group = np.zeros((self.K, self.G))
        self.to_group[np.arange(self.K), self.group] = 1.0
        self.to_width = np.zeros((self.K, self.W))
        self.to_width[np.arange(self.K), self.width_group] = 1.0
        R = self.ratio @ self.to_group  # sum of ratios per group
        self.share = self.ratio / R[self.group]
        dens = {
            "uniform": np.full_like(x, 1.0 / L),
            "rampUp": 2.0 * (x - self.lo) / (L * L),
            "rampDown": 2.0 * (self.hi - x) / (L * L),
        }
        with np.errstate(divide="ignore"):
            self.log_bg = np.array([np.log(dens[b]) for b in m["background"]]).reshape(len(m["background"]), x.size)
        self.B = self.log_bg.shape[0]


def window_terms(md, c, s):
    """logZ, dm, dv of each truncated Gaussian ([P, K] arrays)."""
    a = (md.lo - c) / s
    b = (md.hi - c) / s
    Z = np.maximum(ndtr(b) - ndtr(a), 1e-300)
    pa = np.exp(-0.5 * a * a) * INV_SQRT_2PI
    pb = np.exp(-0.5 * b * b) * INV_SQRT_2PI
    return np.log(Z), (pa - pb) / Z, (a * pa - b * pb) / Z


def e_step(md, x, y, c, s, w, logZ):
    """Sufficient statistics N, A, B (per peak), Nb (per background), the log-likelihood and the
    float32 rounding scale of the log-likelihood (sum_n (y_n (|l_n + log(L/2)| + 1))^2, l_n the log mixture).
    Component-major [K + B, P, C] work arrays: each component is one contiguous block, and every
    step is an in-place ufunc over P x C values (the fastest layout for numpy)."""
    K, B = md.K, md.B
    P, C = y.shape
    coef = np.log(np.maximum(w[:, :K], TINY)) - np.log(s) - LOG_SQRT_2PI - logZ  # [P, K]
    log_wb = np.log(np.maximum(w[:, K:], TINY))  # [P, B]
    t = np.empty((K + B, P, C))
    d = np.empty((K, P, C))
    for k in range(K):
        np.subtract(x[None, :], c[:, k:k + 1], out=d[k])
        np.divide(d[k], s[:, k:k + 1], out=t[k])
        np.multiply(t[k], t[k], out=t[k])
        t[k] *= -0.5
        t[k] += coef[:, k:k + 1]
    for b in range(B):
        np.add(log_wb[:, b:b + 1], md.log_bg[b][None, :], out=t[K + b])
    mx = t.max(axis=0)  # [P, C]
    t -= mx
    np.exp(t, out=t)
    S = t.sum(axis=0)
    mx += np.log(S)  # the log mixture per channel
    loglik = (y * mx).sum(axis=1)
    round_scale2 = np.square(y * (np.abs(mx + md.log_half_L) + 1.0)).sum(axis=1)
    t *= y / S  # w_nk: responsibilities times counts
    wp = t[:K]
    N = wp.sum(axis=2).T
    wp *= d  # w (x - c)
    A = wp.sum(axis=2).T
    wp *= d  # w (x - c)^2
    Bq = wp.sum(axis=2).T
    Nb = t[K:].sum(axis=2).T
    return N, A, Bq, Nb, loglik, round_scale2


def m_step(md, c, s, dm, dv, N, A, Bq, Nb, total):
    mu = c[:, md.group_base]  # [P, G]
    Ng = N @ md.to_group
    num = (A - s * N * dm) @ md.to_group
    with np.errstate(divide="ignore", invalid="ignore"):
        moved = np.clip(mu + num / Ng, md.g_lo, md.g_hi)
    keep = md.group_fixed[None, :] | (Ng <= TINY)
    mu_new = np.where(keep, mu, moved)
    delta = (mu_new - mu)[:, md.group]  # [P, K]
    Nw = N @ md.to_width
    Sw = (Bq - 2.0 * delta * A + delta * delta * N) @ md.to_width
    Vw = (N * dv) @ md.to_width
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.maximum(1.0 + Vw / Nw, MIN_VAR_FACTOR)
        sig_w = np.clip(np.sqrt(np.maximum(Sw, 0.0) / Nw / factor), md.s_lo, md.s_hi)
    sig_k = sig_w[:, md.width_group]
    s_new = np.where((Nw <= TINY)[:, md.width_group], s, sig_k)
    c_new = mu_new[:, md.group] + md.offset
    inv = 1.0 / np.maximum(total, TINY)[:, None]
    w_new = np.concatenate([md.share * Ng[:, md.group] * inv, Nb * inv], axis=1)
    return c_new, s_new, w_new


def fit_block(md, x, y, start):
    """EM on a block of pixels; converged pixels drop out of the active set."""
    P = y.shape[0]
    total = y.sum(axis=1)
    c = np.tile(start["position"], (P, 1))
    s = np.tile(start["sigma"], (P, 1))
    w = np.tile(start["weight"], (P, 1))
    out_c, out_s, out_w = c.copy(), s.copy(), w.copy()
    out_ll = np.full(P, np.nan)
    iters = np.zeros(P, dtype=int)
    conv = np.zeros(P, dtype=bool)
    active = np.flatnonzero(total > 0)
    prev = np.full(P, np.nan)
    it = 0
    while active.size:
        ca, sa, wa = c[active], s[active], w[active]
        logZ, dm, dv = window_terms(md, ca, sa)
        N, A, Bq, Nb, ll, rs2 = e_step(md, x, y[active], ca, sa, wa, logZ)
        done = np.zeros(active.size, dtype=bool)
        if it > 0:
            limit = np.maximum(md.tol * np.abs(ll), md.ll_floor * np.sqrt(rs2))
            change = ll - prev[active]
            # After the first M-step a drop of LL also stops (exact EM never lowers it; specmap's
            # reference and kernels apply the same rule, src/methods/peaks/em.ts).
            done = (np.abs(change) <= limit) | ((it > 1) & (change < 0))
        last = done | (it == md.max_iter)
        if last.any():
            idx = active[last]
            out_c[idx], out_s[idx], out_w[idx] = ca[last], sa[last], wa[last]
            out_ll[idx] = ll[last]
            iters[idx] = it
            conv[idx] = done[last]
        keep = ~last
        if not keep.any():
            break
        prev[active] = ll
        cn, sn, wn = m_step(md, ca[keep], sa[keep], dm[keep], dv[keep], N[keep], A[keep], Bq[keep], Nb[keep], total[active[keep]])
        active = active[keep]
        c[active], s[active], w[active] = cn, sn, wn
        it += 1
    empty = total <= 0
    out_c[empty] = out_s[empty] = out_w[empty] = np.nan
    return out_c, out_s, out_w * total[:, None], out_ll, iters, conv


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data")
    ap.add_argument("energy")
    ap.add_argument("model")
    ap.add_argument("--block", type=int, default=512, help="pixels per vectorised block")
    a = ap.parse_args(argv)

    y_all, x = load_spectra(a.data, a.energy, "peaks_em_numpy")
    with open(a.model) as f:
        spec = json.load(f)
    md = Model(spec["model"], x)
    start = {k: np.array(spec["start"][k], dtype=float) for k in ("position", "sigma", "weight")}
    P = y_all.shape[0]
    pos = np.empty((P, md.K))
    sig = np.empty((P, md.K))
    area = np.empty((P, md.K + md.B))
    ll = np.empty(P)
    iters = np.empty(P, dtype=int)
    conv = np.empty(P, dtype=bool)

    t0 = time.perf_counter()
    for b0 in range(0, P, a.block):
        sl = slice(b0, min(P, b0 + a.block))
        y = y_all[sl].astype(np.float64)
        pos[sl], sig[sl], area[sl], ll[sl], iters[sl], conv[sl] = fit_block(md, x, y, start)
    elapsed = time.perf_counter() - t0

    def rows(arr):
        return [[None if not np.isfinite(v) else float(v) for v in col] for col in arr.T]

    print(json.dumps({
        "peer": "numpy-em",
        "version": np.__version__,
        "pixels": int(P),
        "time_s": elapsed,
        "position": rows(pos),
        "fwhm": rows(sig * FWHM_PER_SIGMA),
        "area": rows(area[:, :md.K]),
        "loglik": [None if not np.isfinite(v) else float(v) for v in ll],
        "iterations": iters.tolist(),
        "converged": conv.astype(int).tolist(),
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
