#!/usr/bin/python3
"""scikit-learn NMF on the same matrix as bench/nmf.ts: float32 X from a .npy file, solvers 'mu'
and 'cd', init 'nndsvda', tol 0 (exactly max_iter iterations) unless --tol=T, Frobenius loss.
Prints one JSON object: per solver the fit time (s), final relative error ||X - WH||_F / ||X||_F,
n_iter_, and with --factors the spectra (components_, k x channels) as nested lists.

usage: nmf_sklearn.py X.npy K ITERS [solver ...] [--tol=T] [--factors]"""
import json
import sys
import time
import warnings

import numpy as np


def main():
    path, k, iters = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    flags = [a for a in sys.argv[4:] if a.startswith("--")]
    solvers = [a for a in sys.argv[4:] if not a.startswith("--")] or ["mu", "cd"]
    tol = next((float(a.split("=", 1)[1]) for a in flags if a.startswith("--tol=")), 0.0)
    factors = "--factors" in flags
    try:
        import sklearn
        from sklearn.decomposition import NMF
    except ImportError as e:
        print(json.dumps({"error": f"scikit-learn not installed: {e}"}))
        return
    X = np.load(path).astype(np.float32, copy=False)
    norm = float(np.linalg.norm(X.astype(np.float64)))
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "shape": list(X.shape), "k": k, "iterations": iters, "solvers": {}}
    for solver in solvers:
        model = NMF(n_components=k, solver=solver, init="nndsvda", beta_loss="frobenius", tol=tol, max_iter=iters, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.perf_counter()
            W = model.fit_transform(X)
            seconds = time.perf_counter() - t0
        H = model.components_
        err = float(np.linalg.norm(X.astype(np.float64) - W.astype(np.float64) @ H.astype(np.float64)))
        out["solvers"][solver] = {"seconds": seconds, "relative_error": err / norm, "n_iter": int(model.n_iter_)}
        if factors:
            out["solvers"][solver]["factors"] = H.astype(np.float64).tolist()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
