"""Writes the byte-exact .npy fixtures of npy.test.ts with the real numpy (run once, results committed).

    cd src-main/engine/npy/testdata && python3 make_fixtures.py
"""
import numpy as np
from numpy.lib import format as npf

VALUES = [1.5, -2.25, 0.1, 65504.0, -0.0, 3.0]  # 2 x 3, exact or rounded per dtype
F16_SPECIAL = [2.0 ** -24, -(2.0 ** -24), 2.0 ** -14, 6.1e-5, 65504.0, -0.0, np.inf, -np.inf, np.nan, 1.0 / 3.0]


def save(name, arr, version=None):
    with open(name, "wb") as f:
        npf.write_array(f, arr, version=version, allow_pickle=False)


# Written by np.save: the writer must reproduce these byte for byte.
np.save("save_f4_5.npy", np.array([700.0, 545.72925, 0.25, 0.002, 0.0], dtype="<f4"))
np.save("save_f8_2x3.npy", np.array(VALUES, dtype="<f8").reshape(2, 3))
np.save("save_f8_0x3.npy", np.zeros((0, 3), dtype="<f8"))

# Reader cases: both header versions (and 3.0), both byte orders, three widths.
save("f4_le_v1.npy", np.array(VALUES, dtype="<f4").reshape(2, 3), (1, 0))
save("f4_be_v1.npy", np.array(VALUES, dtype=">f4").reshape(2, 3), (1, 0))
save("f8_le_v2.npy", np.array(VALUES, dtype="<f8").reshape(2, 3), (2, 0))
save("f8_be_v2.npy", np.array(VALUES, dtype=">f8").reshape(3, 2), (2, 0))
save("f4_le_v3.npy", np.array(VALUES, dtype="<f4").reshape(6), (3, 0))
save("f2_le_v1.npy", np.array(F16_SPECIAL, dtype="<f2"), (1, 0))
save("f2_be_v2.npy", np.array(F16_SPECIAL, dtype=">f2").reshape(2, 5), (2, 0))
save("f8_scalar.npy", np.array(2.5, dtype="<f8"))

# Refusals.
save("fortran_f4.npy", np.asfortranarray(np.array(VALUES, dtype="<f4").reshape(2, 3)), (1, 0))
save("i4.npy", np.arange(6, dtype="<i4").reshape(2, 3), (1, 0))

# The float16 values as numpy decodes them (exact float64), for the test to compare with.
for v in np.array(F16_SPECIAL, dtype="<f2").astype(np.float64):
    print(repr(float(v)))
