#!/usr/bin/env python3
"""Regenerates the checked-in golden surrogate of GoldenSurrogateTest:
src/test/resources/golden/silu_tx_inout/{surrogate.json, weights.npz, expected.json}.

Run from the repository root:  python3 surrogate-loader/src/test/java/io/scasml/surrogate/make_golden_surrogate.py
Needs NumPy only. Expected values come from the NumPy forward-mode reference in scripts/export_surrogate.py
(float64), cross-checked here by central finite differences.
"""
import json
import os
import sys

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), *[".."] * 7))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import export_surrogate as es  # noqa: E402

OUT = os.path.join(ROOT, "surrogate-loader", "src", "test", "resources", "golden", "silu_tx_inout")

rng = np.random.default_rng(20240611)
d = 4
widths = [d + 1, 16, 12, 1]
# flax-style (in, out) kernels, time-first input, input and output affine maps, deflated npz
ws = [rng.normal(scale=1.0 / np.sqrt(widths[i]), size=(widths[i], widths[i + 1])) for i in range(3)]
bs = [rng.normal(scale=0.2, size=widths[i + 1]) for i in range(3)]
input_map = (rng.normal(scale=0.1, size=d + 1), rng.uniform(0.5, 2.0, size=d + 1))
es.export_mlp(OUT, ws, bs, d, activation="silu", layout="in_out", input_order="t,x",
              names=[f"Dense_{i}" for i in range(3)], output=(0.25, 1.5), input_map=input_map, compress=True,
              meta={"generator": "make_golden_surrogate.py", "seed": 20240611})

n = 6
t = rng.uniform(0.0, 1.0, n)
x = rng.uniform(-1.0, 1.0, (n, d))
r = es.evaluate(OUT, t, x)

h = 1e-5
fd_dt = (es.evaluate(OUT, t + h, x)["value"] - es.evaluate(OUT, t - h, x)["value"]) / (2 * h)
assert np.allclose(fd_dt, r["dt"], rtol=1e-7, atol=1e-8), (fd_dt, r["dt"])
for k in range(d):
    e = np.zeros(d)
    e[k] = h
    fd = (es.evaluate(OUT, t, x + e)["value"] - es.evaluate(OUT, t, x - e)["value"]) / (2 * h)
    assert np.allclose(fd, r["grad"][:, k], rtol=1e-7, atol=1e-8)

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({"comment": "float64 NumPy forward-mode reference (scripts/export_surrogate.py evaluate)",
               "t": t.tolist(), "x": x.tolist(), **{k: np.asarray(v).tolist() for k, v in r.items()}}, f, indent=1)
    f.write("\n")
print("wrote", OUT)
