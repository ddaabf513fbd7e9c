#!/usr/bin/env python3
"""Write scasml surrogates in format v1 (surrogate.json + weights.npz); see surrogate-loader/README.md.

Sources (NumPy is the only hard dependency; torch / jax are imported only when used):

  * raw NumPy arrays        export_mlp(out, weights, biases, dim, ...)        CLI: numpy --arrays raw.npz
  * PyTorch / DeepXDE FNN   export_torch(out, module_or_state_dict, dim, ...) CLI: torch --state-dict model.pt
  * flax params tree        export_flax(out, params, dim, ...)               CLI: flax --params params.pkl
  * Gaussian kernel / GP    export_rbf(out, dim, lengthscale, blocks, ...)

and a NumPy reference evaluator (value, d/dt, gradient, Laplacian):   CLI: eval DIR --points pts.npy

Examples:
  python3 scripts/export_surrogate.py numpy --arrays raw.npz --dim 20 --activation tanh --out my_surrogate
      (raw.npz holds W0, b0, W1, b1, ... in PyTorch (out, in) layout unless --layout in_out)
  python3 scripts/export_surrogate.py torch --state-dict model.pt --dim 20 --activation tanh --out my_surrogate
  python3 scripts/export_surrogate.py eval my_surrogate --points pts.npy      (pts: (n, d+1) rows [t, x...])
"""
import argparse
import json
import os
import re
import sys
import zipfile

import numpy as np

FORMAT = "scasml-surrogate"
VERSION = 1
ACTIVATIONS = ("tanh", "sin", "softplus", "silu")
NON_SMOOTH = ("relu", "leaky_relu", "relu6", "elu", "selu", "hardtanh")


def _check_activation(activation):
    a = activation.lower()
    if a == "swish":
        a = "silu"
    if a in NON_SMOOTH:
        raise ValueError(f"activation {activation!r} is not twice differentiable: the Laplacian in the PDE residual "
                         f"would be undefined; use one of {ACTIVATIONS}")
    if a not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; expected one of {ACTIVATIONS}")
    return a


def _write(out_dir, meta_json, arrays, compress):
    os.makedirs(out_dir, exist_ok=True)
    for name, a in arrays.items():
        if not np.all(np.isfinite(a)):
            raise ValueError(f"array {name!r} contains NaN or Inf")
    tmp = os.path.join(out_dir, "weights.npz.tmp")
    # np.savez appends .npz to names without it; write through a file object to keep our name.
    with open(tmp, "wb") as f:
        (np.savez_compressed if compress else np.savez)(f, **arrays)
    os.replace(tmp, os.path.join(out_dir, "weights.npz"))
    with open(os.path.join(out_dir, "surrogate.json"), "w") as f:
        json.dump(meta_json, f, indent=1)
        f.write("\n")


def export_mlp(out_dir, weights, biases, dim, activation="tanh", layout="out_in", input_order="x,t",
               names=None, output=None, input_map=None, dtype="float64", compress=False, meta=None):
    """Write an MLP. weights[l] has shape (out, in) for layout 'out_in' (PyTorch) or (in, out) for 'in_out' (flax);
    the network input is [x_1..x_d, t] for input_order 'x,t' or [t, x_1..x_d] for 't,x'. output = (shift, scale)
    means u = shift + scale * net; input_map = (shift[d+1], scale[d+1]) means the first layer sees shift + scale * y."""
    activation = _check_activation(activation)
    if layout not in ("out_in", "in_out"):
        raise ValueError("layout must be 'out_in' or 'in_out'")
    if input_order not in ("x,t", "t,x"):
        raise ValueError("input_order must be 'x,t' or 't,x'")
    if len(weights) != len(biases) or not weights:
        raise ValueError("need as many weights as biases, at least one layer")
    names = list(names) if names is not None else [f"linears.{i}" for i in range(len(weights))]
    arrays = {}
    width = dim + 1
    for i, (w, b) in enumerate(zip(weights, biases)):
        w = np.asarray(w, dtype=dtype)
        b = np.asarray(b, dtype=dtype).reshape(-1)
        if w.ndim != 2:
            raise ValueError(f"layer {names[i]}: weight must be 2-D, got {w.shape}")
        fan_in, fan_out = (w.shape[1], w.shape[0]) if layout == "out_in" else w.shape
        if fan_in != width:
            raise ValueError(f"layer {names[i]}: weight {w.shape} ({layout}) takes width {fan_in}, expected {width}")
        if b.shape != (fan_out,):
            raise ValueError(f"layer {names[i]}: bias {b.shape} does not match weight {w.shape}")
        arrays[names[i] + ".weight"] = np.ascontiguousarray(w)
        arrays[names[i] + ".bias"] = np.ascontiguousarray(b)
        width = fan_out
    if width != 1:
        raise ValueError(f"the last layer outputs width {width}; a surrogate outputs one value")
    doc = {"format": FORMAT, "version": VERSION, "type": "mlp", "dim": int(dim), "input_order": input_order,
           "activation": activation, "layers": names, "weight_layout": layout}
    if output is not None:
        doc["output"] = {"shift": float(output[0]), "scale": float(output[1])}
    if input_map is not None:
        sh, sc = (np.asarray(v, dtype=np.float64).reshape(-1) for v in input_map)
        if sh.shape != (dim + 1,) or sc.shape != (dim + 1,):
            raise ValueError("input map shift and scale need d+1 entries each")
        doc["input"] = {"shift": sh.tolist(), "scale": sc.tolist()}
    if meta is not None:
        doc["meta"] = meta
    _write(out_dir, doc, arrays, compress)


def export_rbf(out_dir, dim, lengthscale, blocks, input_order="x,t", output=None, meta=None, compress=False):
    """Write a Gaussian-kernel surrogate. blocks maps 'value' / 'laplacian' / 'dt' / 'div' to (centers (N, d+1),
    alpha (N,)); centers' columns follow input_order."""
    arrays = {}
    for name, (c, a) in blocks.items():
        if name not in ("value", "laplacian", "dt", "div"):
            raise ValueError(f"unknown block {name!r}")
        c = np.asarray(c, dtype=np.float64)
        a = np.asarray(a, dtype=np.float64).reshape(-1)
        if c.ndim != 2 or c.shape[1] != dim + 1 or a.shape != (c.shape[0],):
            raise ValueError(f"block {name}: centers {c.shape} / alpha {a.shape} do not fit d+1 = {dim + 1}")
        arrays[name + ".centers"] = np.ascontiguousarray(c)
        arrays[name + ".alpha"] = a
    doc = {"format": FORMAT, "version": VERSION, "type": "rbf-kernel", "dim": int(dim), "input_order": input_order,
           "kernel": "gaussian", "lengthscale": float(lengthscale), "blocks": list(blocks)}
    if output is not None:
        doc["output"] = {"shift": float(output[0]), "scale": float(output[1])}
    if meta is not None:
        doc["meta"] = meta
    _write(out_dir, doc, arrays, compress)


def _linear_layers_from_state_dict(sd):
    """(names, weights, biases) of the Linear layers of a state_dict, in numeric order of the DeepXDE FNN names
    'linears.<i>.weight' (or any '<prefix>.<i>.weight' / '<prefix>.weight' pairs in insertion order)."""
    def to_np(v):
        return v.detach().cpu().double().numpy() if hasattr(v, "detach") else np.asarray(v, dtype=np.float64)
    keys = [k[:-len(".weight")] for k in sd if k.endswith(".weight") and (k[:-len(".weight")] + ".bias") in sd]
    def order(k):
        m = re.search(r"(\d+)$", k)
        return (0, int(m.group(1))) if m else (1, 0)
    if all(re.search(r"(\d+)$", k) for k in keys):
        keys.sort(key=order)
    return keys, [to_np(sd[k + ".weight"]) for k in keys], [to_np(sd[k + ".bias"]) for k in keys]


def export_torch(out_dir, module_or_state_dict, dim, activation="tanh", input_order="x,t", **kw):
    """Write a PyTorch nn.Module or state_dict (DeepXDE FNN: 'linears.<i>.weight' of shape (out, in))."""
    sd = module_or_state_dict
    if hasattr(sd, "state_dict"):
        sd = sd.state_dict()
    names, ws, bs = _linear_layers_from_state_dict(sd)
    export_mlp(out_dir, ws, bs, dim, activation=activation, layout="out_in", input_order=input_order,
               names=names, **kw)


def export_flax(out_dir, params, dim, activation="tanh", input_order="x,t", **kw):
    """Write a flax params tree {'Dense_0': {'kernel': (in, out), 'bias': (out,)}, ...} (optionally under 'params')."""
    if "params" in params and isinstance(params["params"], dict):
        params = params["params"]
    def order(k):
        m = re.search(r"(\d+)$", k)
        return int(m.group(1)) if m else 0
    names = sorted([k for k in params if isinstance(params[k], dict) and "kernel" in params[k]], key=order)
    ws = [np.asarray(params[k]["kernel"], dtype=np.float64) for k in names]
    bs = [np.asarray(params[k].get("bias", np.zeros(w.shape[1])), dtype=np.float64) for k, w in zip(names, ws)]
    export_mlp(out_dir, ws, bs, dim, activation=activation, layout="in_out", input_order=input_order,
               names=names, **kw)


# ---------------------------------------------------------------------------------------------------------------
# NumPy reference evaluator: value, d/dt, gradient and Laplacian by forward-mode propagation (float64).

def _act(name, z):
    if name == "tanh":
        a = np.tanh(z)
        return a, 1 - a * a, -2 * a * (1 - a * a)
    if name == "sin":
        return np.sin(z), np.cos(z), -np.sin(z)
    s = 1 / (1 + np.exp(-z))
    if name == "softplus":
        return np.logaddexp(0, z), s, s * (1 - s)
    if name == "silu":
        return z * s, s * (1 + z * (1 - s)), s * (1 - s) * (2 + z * (1 - 2 * s))
    raise ValueError(name)


def evaluate(surrogate_dir, t, x):
    """Return dict(value, dt, grad, laplacian) of an MLP surrogate at times t (n,) and points x (n, d)."""
    with open(os.path.join(surrogate_dir, "surrogate.json")) as f:
        doc = json.load(f)
    if doc.get("type") != "mlp":
        raise ValueError("evaluate() supports type mlp")
    z = np.load(os.path.join(surrogate_dir, "weights.npz"))
    d = doc["dim"]
    t = np.asarray(t, dtype=np.float64).reshape(-1)
    x = np.asarray(x, dtype=np.float64).reshape(len(t), d)
    y = np.concatenate([x, t[:, None]], 1) if doc["input_order"] == "x,t" else np.concatenate([t[:, None], x], 1)
    tpos = d if doc["input_order"] == "x,t" else 0
    n = len(t)
    # a: (n, w); ad: (n, d+1, w) tangents; add: (n, d+1, w) second derivatives along each direction
    if "input" in doc:
        sh, sc = np.asarray(doc["input"]["shift"]), np.asarray(doc["input"]["scale"])
        a = sh + sc * y
        ad = np.broadcast_to(np.diag(sc), (n, d + 1, d + 1)).copy()
    else:
        a = y
        ad = np.broadcast_to(np.eye(d + 1), (n, d + 1, d + 1)).copy()
    add = np.zeros_like(ad)
    layers = doc["layers"]
    for i, name in enumerate(layers):
        w = z[name + ".weight"].astype(np.float64)
        b = z[name + ".bias"].astype(np.float64)
        wio = w.T if doc["weight_layout"] == "out_in" else w
        zz = a @ wio + b
        zd = ad @ wio
        zdd = add @ wio
        if i < len(layers) - 1:
            a, s1, s2 = _act(doc["activation"], zz)
            ad = s1[:, None, :] * zd
            add = s1[:, None, :] * zdd + s2[:, None, :] * zd * zd
        else:
            a, ad, add = zz, zd, zdd
    shift, scale = 0.0, 1.0
    if "output" in doc:
        shift, scale = doc["output"].get("shift", 0.0), doc["output"].get("scale", 1.0)
    value = shift + scale * a[:, 0]
    jac = scale * ad[:, :, 0]
    hdiag = scale * add[:, :, 0]
    spatial = [k for k in range(d + 1) if k != tpos]
    return {"value": value, "dt": jac[:, tpos], "grad": jac[:, spatial], "laplacian": hdiag[:, spatial].sum(1)}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    def common(sp):
        sp.add_argument("--out", required=True, help="output directory")
        sp.add_argument("--dim", type=int, required=True, help="spatial dimension d")
        sp.add_argument("--activation", default="tanh")
        sp.add_argument("--input-order", default="x,t", choices=["x,t", "t,x"])
        sp.add_argument("--output-shift", type=float)
        sp.add_argument("--output-scale", type=float)
        sp.add_argument("--float32", action="store_true", help="store weights as float32")
        sp.add_argument("--compress", action="store_true", help="deflate the npz")

    sn = sub.add_parser("numpy", help="raw arrays W0, b0, W1, b1, ... from an .npz")
    common(sn)
    sn.add_argument("--arrays", required=True)
    sn.add_argument("--layout", default="out_in", choices=["out_in", "in_out"])
    st = sub.add_parser("torch", help="a torch.save'd state_dict or nn.Module")
    common(st)
    st.add_argument("--state-dict", required=True)
    sf = sub.add_parser("flax", help="a pickled flax params tree")
    common(sf)
    sf.add_argument("--params", required=True)
    se = sub.add_parser("eval", help="NumPy reference evaluation of an MLP surrogate; prints JSON")
    se.add_argument("dir")
    se.add_argument("--points", required=True, help=".npy of shape (n, d+1), rows [t, x_1..x_d]")
    a = p.parse_args(argv)

    if a.cmd == "eval":
        pts = np.load(a.points)
        r = evaluate(a.dir, pts[:, 0], pts[:, 1:])
        json.dump({k: np.asarray(v).tolist() for k, v in r.items()}, sys.stdout)
        sys.stdout.write("\n")
        return 0
    out = None
    if a.output_shift is not None or a.output_scale is not None:
        out = (a.output_shift or 0.0, 1.0 if a.output_scale is None else a.output_scale)
    kw = dict(activation=a.activation, input_order=a.input_order, output=out,
              dtype="float32" if a.float32 else "float64", compress=a.compress)
    if a.cmd == "numpy":
        raw = np.load(a.arrays)
        n = 0
        while f"W{n}" in raw:
            n += 1
        if n == 0:
            raise SystemExit(f"{a.arrays}: expected arrays W0, b0, W1, b1, ...")
        export_mlp(a.out, [raw[f"W{i}"] for i in range(n)], [raw[f"b{i}"] for i in range(n)], a.dim,
                   layout=a.layout, **kw)
    elif a.cmd == "torch":
        import torch  # only when used
        obj = torch.load(a.state_dict, map_location="cpu")
        export_torch(a.out, obj, a.dim, **{k: v for k, v in kw.items() if k not in ("activation", "input_order")},
                     activation=a.activation, input_order=a.input_order)
    elif a.cmd == "flax":
        import pickle
        with open(a.params, "rb") as f:
            params = pickle.load(f)
        try:
            import jax  # only when used: converts device arrays
            params = jax.tree_util.tree_map(np.asarray, params)
        except ImportError:
            pass
        export_flax(a.out, params, a.dim, **{k: v for k, v in kw.items() if k not in ("activation", "input_order")},
                    activation=a.activation, input_order=a.input_order)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ValueError as e:
        print(f"export_surrogate: {e}", file=sys.stderr)
        sys.exit(2)
