#!/usr/bin/python3
"""PyTorch baseline for FastPrune's per-subnet cost (issue 6): surgery + paper-mode reconstruction + evaluation
of ONE pruned subnet of samples/resnet.onnx, timed on the CPU with 2 threads.

    /usr/bin/python3 bench/torch/subnet_time.py [--repeats 3] [--ratios 0.9,0.7,0.5] [--solve-dtype float32]

Prints one JSON line per keep-ratio with the median (over --repeats) stage times.
"""
import argparse
import copy
import json
import os
import statistics
import struct
import sys
import time

os.environ["OMP_WAIT_POLICY"] = "PASSIVE"  # before torch loads: libgomp busy-waiting fights the 2 cores

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnx.numpy_helper  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tools", "fixtures"))
from make_samples import ResNetSmall  # noqa: E402  (main() is guarded: importing does not train)

SEED = 20240601
POSITIONS_PER_IMAGE = 10
CALIB_IMAGES = 1000
EVAL_FROM, EVAL_TO, EVAL_BATCH = 1500, 3000, 100
RIDGE = 1e-4


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    zero, code, ndim = struct.unpack(">HBB", raw[:4])
    assert zero == 0 and code == 0x08, f"{path}: not a uint8 IDX file"
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def images(path):
    return torch.from_numpy(read_idx(path).astype(np.float32) / 255.0).unsqueeze(1)


def labels(path):
    return torch.from_numpy(read_idx(path).astype(np.int64))


# ---------------------------------------------------------------------------------------------------------------
# The folded network: the fixture's ResNetSmall with every BatchNorm replaced by Identity and every conv given a
# bias, loaded from the ONNX initializers (the exporter folded BN into the convs).
# ---------------------------------------------------------------------------------------------------------------
def set_module(root, name, module):
    *path, leaf = name.split(".")
    parent = root
    for p in path:
        parent = getattr(parent, p)
    setattr(parent, leaf, module)


def load_folded(onnx_path):
    model = ResNetSmall()
    for name, m in list(model.named_modules()):
        if isinstance(m, nn.BatchNorm2d):
            set_module(model, name, nn.Identity())
    convs = [(n, m) for n, m in model.named_modules() if isinstance(m, nn.Conv2d)]
    g = onnx.load(onnx_path).graph
    init = {t.name: torch.from_numpy(onnx.numpy_helper.to_array(t).copy()) for t in g.initializer}
    conv_nodes = [n for n in g.node if n.op_type == "Conv"]
    assert len(conv_nodes) == len(convs), (len(conv_nodes), len(convs))
    for (name, m), node in zip(convs, conv_nodes):
        w, b = init[node.input[1]], init[node.input[2]]
        assert w.shape == m.weight.shape, (name, tuple(w.shape), tuple(m.weight.shape))
        c = nn.Conv2d(m.in_channels, m.out_channels, m.kernel_size, m.stride, m.padding, bias=True)
        c.weight.data.copy_(w)
        c.bias.data.copy_(b)
        set_module(model, name, c)
    gemm = [n for n in g.node if n.op_type == "Gemm"]
    assert len(gemm) == 1
    model.fc.weight.data.copy_(init[gemm[0].input[1]])
    model.fc.bias.data.copy_(init[gemm[0].input[2]])
    return model.eval()


@torch.no_grad()
def accuracy(model, x, y, batch=EVAL_BATCH):
    model.eval()
    correct = 0
    for i in range(0, x.shape[0], batch):
        correct += int((model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum())
    return correct / x.shape[0]


# ---------------------------------------------------------------------------------------------------------------
# Calibration (once per model): float64 G = XᵀX, H = XᵀY per conv/linear from the ORIGINAL network's features.
# ---------------------------------------------------------------------------------------------------------------
@torch.no_grad()
def calibrate(model, x, seed=SEED, batch=100):
    gen = torch.Generator().manual_seed(seed)
    stats = {}
    layers = {n: m for n, m in model.named_modules() if isinstance(m, (nn.Conv2d, nn.Linear))}

    def hook(name):
        def fn(m, inp, out):
            a = inp[0]
            if isinstance(m, nn.Conv2d):
                cols = F.unfold(a, m.kernel_size, padding=m.padding, stride=m.stride)  # N, Cin*k*k, L
                n, _, L = cols.shape
                pos = torch.randint(0, L, (n, POSITIONS_PER_IMAGE), generator=gen)
                X = cols.gather(2, pos.unsqueeze(1).expand(-1, cols.shape[1], -1)).permute(0, 2, 1)
                Y = out.flatten(2).gather(2, pos.unsqueeze(1).expand(-1, out.shape[1], -1)).permute(0, 2, 1)
                X, Y = X.reshape(-1, X.shape[-1]), Y.reshape(-1, Y.shape[-1])
            else:
                X, Y = a, out
            X = torch.cat([X, torch.ones(X.shape[0], 1)], 1).double()
            G, H = stats.get(name, (0, 0))
            stats[name] = (G + X.T @ X, H + X.T @ Y.double())
        return fn

    handles = [m.register_forward_hook(hook(n)) for n, m in layers.items()]
    try:
        for i in range(0, x.shape[0], batch):
            model(x[i:i + batch])
    finally:
        for h in handles:
            h.remove()
    return stats


# ---------------------------------------------------------------------------------------------------------------
# Channel groups of the bottleneck ResNet: (producers whose out-channels form the group, consumers whose
# in-channels are the group).
# ---------------------------------------------------------------------------------------------------------------
def groups_of(model):
    stages = ["layer1", "layer2", "layer3"]
    groups = [(["conv1"], ["layer1.0.conv1", "layer1.0.downsample.0"])]
    for s, stage in enumerate(stages):
        blocks = len(getattr(model, stage))
        producers = [f"{stage}.{b}.conv3" for b in range(blocks)] + [f"{stage}.0.downsample.0"]
        consumers = [f"{stage}.{b}.conv1" for b in range(1, blocks)]
        consumers += [f"{stages[s + 1]}.0.conv1", f"{stages[s + 1]}.0.downsample.0"] if s + 1 < len(stages) else ["fc"]
        groups.append((producers, consumers))
        for b in range(blocks):
            groups.append(([f"{stage}.{b}.conv1"], [f"{stage}.{b}.conv2"]))
            groups.append(([f"{stage}.{b}.conv2"], [f"{stage}.{b}.conv3"]))
    return groups


def surgery(base, groups, ratio):
    """Keeps round(ratio·C) channels per group by L1 norm of the producers' filters; returns the new model and the
    kept (out, in) channel indices of every conv/linear."""
    mods = dict(base.named_modules())
    keep_out, keep_in = {}, {}
    for producers, consumers in groups:
        score = sum(mods[p].weight.detach().abs().flatten(1).sum(1) for p in producers)
        c = score.shape[0]
        k = max(1, int(round(ratio * c)))
        kept = torch.sort(torch.topk(score, k).indices).values
        for p in producers:
            keep_out[p] = kept
        for q in consumers:
            keep_in[q] = kept
    pruned = copy.deepcopy(base)
    for name, m in mods.items():
        if not isinstance(m, (nn.Conv2d, nn.Linear)):
            continue
        w, b = m.weight.detach(), m.bias.detach()
        if name in keep_out:
            w, b = w.index_select(0, keep_out[name]), b.index_select(0, keep_out[name])
        if name in keep_in:
            w = w.index_select(1, keep_in[name])
        if isinstance(m, nn.Conv2d):
            new = torch.nn.utils.skip_init(nn.Conv2d, w.shape[1], w.shape[0], m.kernel_size, m.stride, m.padding,
                                           bias=True)
        else:
            new = torch.nn.utils.skip_init(nn.Linear, w.shape[1], w.shape[0], bias=True)
        with torch.no_grad():
            new.weight.copy_(w)
            new.bias.copy_(b)
        set_module(pruned, name, new)
    return pruned.eval(), keep_out, keep_in


@torch.no_grad()
def reconstruct(pruned, stats, keep_out, keep_in, dtype):
    """Paper mode: every layer whose inputs were pruned is re-solved from the original network's stored Grams."""
    mods = dict(pruned.named_modules())
    for name, kin in keep_in.items():
        m = mods[name]
        G, H = stats[name]
        kk = 1 if isinstance(m, nn.Linear) else m.kernel_size[0] * m.kernel_size[1]
        cols = (kin.unsqueeze(1) * kk + torch.arange(kk)).reshape(-1)
        cols = torch.cat([cols, torch.tensor([G.shape[0] - 1])])  # the bias column
        Gs = G.index_select(0, cols).index_select(1, cols)
        Hs = H.index_select(0, cols)
        if name in keep_out:
            Hs = Hs.index_select(1, keep_out[name])
        Gs, Hs = Gs.to(dtype), Hs.to(dtype)
        lam = RIDGE * Gs.diagonal().mean()
        Gs.diagonal().add_(lam)
        L = torch.linalg.cholesky(Gs)
        W = torch.cholesky_solve(Hs, L)  # [kin*k*k + 1, kout]
        kout = W.shape[1]
        m.weight.copy_(W[:-1].T.reshape(m.weight.shape).to(torch.float32))
        m.bias.copy_(W[-1].to(torch.float32))
        assert m.weight.shape[0] == kout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ratios", default="0.9,0.7,0.5")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--solve-dtype", default="float32", choices=["float32", "float64"])
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    dtype = getattr(torch, args.solve_dtype)

    data = os.path.join(REPO, "samples", "data")
    xt, yt = images(os.path.join(data, "test-images-idx3-ubyte")), labels(os.path.join(data, "test-labels-idx1-ubyte"))
    xc, yc = images(os.path.join(data, "calib-images-idx3-ubyte")), labels(os.path.join(data, "calib-labels-idx1-ubyte"))
    base = load_folded(os.path.join(REPO, "samples", "resnet.onnx"))
    acc = accuracy(base, xt, yt)
    print(json.dumps({"check": "folded torch model, 2000 test images", "acc": acc}), flush=True)
    assert abs(acc - 0.9235) < 0.002, acc
    xe, ye = xc[EVAL_FROM:EVAL_TO], yc[EVAL_FROM:EVAL_TO]
    print(json.dumps({"check": "unpruned, calib 1500..2999", "acc": accuracy(base, xe, ye)}), flush=True)

    t0 = time.perf_counter()
    stats = calibrate(base, xc[:CALIB_IMAGES])
    print(json.dumps({"calibration_s": round(time.perf_counter() - t0, 4), "layers": len(stats)}), flush=True)
    groups = groups_of(base)

    for ratio in (float(r) for r in args.ratios.split(",")):
        runs = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            pruned, keep_out, keep_in = surgery(base, groups, ratio)
            t1 = time.perf_counter()
            reconstruct(pruned, stats, keep_out, keep_in, dtype)
            t2 = time.perf_counter()
            a = accuracy(pruned, xe, ye)
            t3 = time.perf_counter()
            runs.append((a, t1 - t0, t2 - t1, t3 - t2, t3 - t0))
        med = lambda i: round(statistics.median(r[i] for r in runs), 5)  # noqa: E731
        params = sum(p.numel() for p in pruned.parameters())
        print(json.dumps({"ratio": ratio, "acc": runs[-1][0], "t_surgery_s": med(1), "t_recon_s": med(2),
                          "t_infer_s": med(3), "t_total_s": med(4), "params": params,
                          "solve_dtype": args.solve_dtype, "eval_images": EVAL_TO - EVAL_FROM}), flush=True)


if __name__ == "__main__":
    main()
