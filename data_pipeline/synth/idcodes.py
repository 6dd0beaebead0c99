"""ID check characters computed the generator's own way, apart from the pipeline's idnumbers.py.

GB 11643-1999 defines the check character by ISO 7064 MOD 11-2. The pipeline computes it as a weighted
sum (weights 2^(17-i) mod 11); here it is the standard's recursive form, one digit at a time:
p <- (p + digit) * 2 mod 11, and the check value is (12 - p) mod 11, where 10 is written X. Two
algorithms that agree on the standard's examples (tests/pipeline/test_synth_independence.py) make an ID
bug in either show up as accuracy error instead of being shared.
"""

from __future__ import annotations

import numpy as np

CHECK_SYMBOLS = np.array(list("0123456789X"))


def check_values(bodies: np.ndarray) -> np.ndarray:
    """Check values (0-10) of an int64 array of 17-digit ID bodies."""
    bodies = np.asarray(bodies, dtype=np.int64)
    p = np.zeros(len(bodies), dtype=np.int64)
    for position in range(16, -1, -1):  # most significant digit first
        digit = (bodies // 10**position) % 10
        p = (p + digit) * 2 % 11
    return (12 - p) % 11


def with_check(bodies: np.ndarray) -> np.ndarray:
    """18-character ID strings (object array) of int64 bodies."""
    bodies = np.asarray(bodies, dtype=np.int64)
    return bodies.astype(str).astype(object) + CHECK_SYMBOLS[check_values(bodies)].astype(object)


def check_symbol(body17: str) -> str:
    return str(CHECK_SYMBOLS[check_values(np.array([int(body17)]))[0]])
