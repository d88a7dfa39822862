"""What both peak-fitting peers read: the counts [pixels, channels] and the energy axis, checked."""
import sys

import numpy as np


def load_spectra(data_path, energy_path, peer):
    """(counts float32 [pixels, channels], energy float64 [channels]); exits naming the file on a mismatch."""
    y = np.load(data_path)
    x = np.load(energy_path).astype(np.float64)
    if y.ndim != 2 or y.shape[1] != x.size:
        sys.exit(f"{peer}: {data_path} has shape {y.shape}, expected [pixels, {x.size}]")
    return y, x
