#!/usr/bin/python3
"""scikit-learn k-means on the same pixels as bench/mrf.ts: float32 X (pixels x channels) and
the true labels from .npy files; KMeans(n_clusters=K, init='k-means++', n_init=1, tol=1e-6,
random_state=0), as specmap's k-means (one k-means++ start, relative inertia tolerance).
Prints one JSON object: fit time (s), adjusted Rand index against the truth (sklearn's own
adjusted_rand_score), iterations, inertia; writes the labels to LABELS.npy (uint32) so the
bench can recompute the ARI with specmap's implementation.

usage: kmeans_sklearn.py X.npy TRUTH.npy K LABELS.npy"""
import json
import sys
import time

import numpy as np


def main():
    path, truth_path, k, labels_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    try:
        import sklearn
        from sklearn.cluster import KMeans
        from sklearn.metrics import adjusted_rand_score
    except ImportError as e:
        print(json.dumps({"error": f"scikit-learn not installed: {e}"}))
        return
    X = np.load(path).astype(np.float32, copy=False)
    truth = np.load(truth_path).astype(np.int64)
    model = KMeans(n_clusters=k, init="k-means++", n_init=1, tol=1e-6, random_state=0)
    t0 = time.perf_counter()
    labels = model.fit_predict(X)
    seconds = time.perf_counter() - t0
    np.save(labels_path, labels.astype(np.uint32))
    print(json.dumps({
        "sklearn": sklearn.__version__,
        "seconds": seconds,
        "ari": float(adjusted_rand_score(truth, labels)),
        "n_iter": int(model.n_iter_),
        "inertia": float(model.inertia_),
    }))


if __name__ == "__main__":
    main()
