"""Training throughput of cnnviz against PyTorch on the CPU, plus per-layer times and inference times.

    python benchmarks/train_speed.py [--rounds 3] [--seconds 8] [--batch-size 100] [--threads 2] [--methods]

Measures steady-state training images/s of the lecture's network (conv 32 and 64 of 3x3 same, max pool,
fully connected 100, 200, 10, dropout 0.2, float32, momentum SGD) on the bundled MNIST sample, and the
inference rate over 10,000 test images (batches of EVAL_BATCH = 100, as the window's evaluation), alternating cnnviz and
PyTorch in NCHW and channels_last layout (when installed: ``pip install -e .[bench]``) several times in one run
so that all see the same machine load, and prints each figure and their ratios, per second of wall-clock time
and of CPU time. Then the time of every layer's forward and backward pass (one thread, whole minibatch;
``--methods``: each 3x3 convolution alone by im2col and by Winograd) and the forward trace of one probe image.
Nothing here is a test: it prints figures.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from cnnviz.core import MomentumSGD, Network
from cnnviz.core.layers import Conv2D, MaxPool2D
from cnnviz.core.network import EVAL_BATCH
from cnnviz.data import load_sample, to_input
from cnnviz.parallel import GradientWorkers


def batches(n_images: int, batch_size: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(n_images)
        for start in range(0, n_images - batch_size + 1, batch_size):
            yield order[start:start + batch_size]


def rates(n_images: int, wall: float, cpu: float) -> tuple[float, float]:
    """Images per second of wall-clock time and per second of the process's CPU time (a figure that other
    programs on the machine disturb less; with several threads it also counts their waiting)."""
    return n_images / wall, n_images / cpu


def cnnviz_rate(x, y, batch_size, threads, seconds, warmup=5):
    net = Network()
    opt = MomentumSGD(net.params, lr=0.01, momentum=0.2)
    workers = GradientWorkers(net, threads, seed=0)
    it = batches(len(x), batch_size)
    try:
        for _ in range(warmup):
            b = next(it)
            opt.step(workers.loss_and_gradients(x[b], y[b])[2])
        n, t0, c0 = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - t0 < seconds:
            b = next(it)
            opt.step(workers.loss_and_gradients(x[b], y[b])[2])
            n += len(b)
        return rates(n, time.perf_counter() - t0, time.process_time() - c0)
    finally:
        workers.close()


def cnnviz_inference_rate(test, threads, batch_size=EVAL_BATCH):
    """The forward pass of every test image in inference mode, as the window's evaluation computes it."""
    workers = GradientWorkers(Network(), threads, seed=0)
    try:
        workers.predict_proba(test[:2 * batch_size])
        t0, c0 = time.perf_counter(), time.process_time()
        workers.predict_proba(test, batch_size)
        return rates(len(test), time.perf_counter() - t0, time.process_time() - c0)
    finally:
        workers.close()


def torch_model(channels_last):
    import torch
    from torch import nn

    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 100), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(100, 200), nn.ReLU(), nn.Dropout(0.2), nn.Linear(200, 10))
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    return model.to(memory_format=fmt), fmt


def torch_inference_rate(test, threads, channels_last=False, batch_size=EVAL_BATCH):
    import torch

    torch.set_num_threads(threads)
    model, fmt = torch_model(channels_last)
    model.eval()
    xt = torch.from_numpy(test)

    def run():
        with torch.inference_mode():
            for i in range(0, len(xt), batch_size):
                torch.softmax(model(xt[i:i + batch_size].contiguous(memory_format=fmt)), dim=1)

    run()
    t0, c0 = time.perf_counter(), time.process_time()
    run()
    return rates(len(test), time.perf_counter() - t0, time.process_time() - c0)


def torch_rate(x, y, batch_size, threads, seconds, channels_last=False, warmup=5):
    import torch
    from torch import nn

    torch.set_num_threads(threads)
    model, fmt = torch_model(channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.2)
    loss_fn = nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
    it = batches(len(x), batch_size)

    def step():
        b = torch.from_numpy(next(it))
        xb = xt[b].contiguous(memory_format=fmt)
        opt.zero_grad(set_to_none=True)
        loss_fn(model(xb), yt[b]).backward()
        opt.step()

    for _ in range(warmup):
        step()
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        step()
        n += batch_size
    return rates(n, time.perf_counter() - t0, time.process_time() - c0)


def per_layer(x, y, batch_size, methods=False):
    """Forward and backward time of every layer as training computes it (a conv layer with its max pooling
    together where cnnviz.core.convpool does so), one thread, one whole minibatch; ``methods``: every 3x3
    convolution also computed alone by Conv2D, by im2col and by Winograd."""
    net = Network()
    rng = np.random.default_rng(0)
    xb, yb = x[:batch_size], y[:batch_size]

    def ms(f, n=10):
        """The least CPU time of this thread over ``n`` runs: other programs on a shared machine stretch the
        wall-clock time of a run, hardly its CPU time."""
        f()
        best = float("inf")
        for _ in range(n):
            t0 = time.thread_time()
            f()
            best = min(best, time.thread_time() - t0)
        return best * 1e3

    rows = []
    with threadpool_limits(1, user_api="blas"):
        rows.append(("whole step", ms(lambda: net.train_batch(xb, yb, rng)), float("nan")))
        net.train_batch(xb, yb, rng)  # fill every layer's cache
        h = xb.transpose(0, 2, 3, 1)
        for name, conv, relu, pool in net.conv_layers:
            if methods and conv.params["W"].shape[2] == 3:  # the conv layer alone, by either method
                for method in ("im2col", "winograd"):
                    twin = Conv2D(conv.params["W"], conv.params["b"], conv.padding, conv.need_dx, method)
                    u = twin.forward(h, True)
                    rows.append((f"{name} {method}", ms(lambda t=twin, h=h: t.forward(h, True)),
                                 ms(lambda t=twin, u=u: t.backward(u))))
            fused = net.fused.get(name)
            if fused is not None and fused.applies(h.shape):
                # as training computes them: the conv layer and its max pooling together, then ReLU
                order = [(f"{name} + pool", fused), (f"{name} relu", relu)]
            else:
                # max pooling before ReLU (see Network._logits)
                order = [(name, conv), (f"{name} relu", relu), (f"{name} pool", pool)]
                if isinstance(pool, MaxPool2D):
                    order[1:] = order[:0:-1]
            for label, layer in order:
                if layer is None:
                    continue
                forward = (lambda h, layer=layer: layer.forward(h)) if layer is fused else \
                    (lambda h, layer=layer: layer.forward(h, True))
                out = forward(h)
                fwd = ms(lambda forward=forward, h=h: forward(h))
                forward(h)
                bwd = ms(lambda layer=layer, out=out: layer.backward(out))
                rows.append((label, fwd, bwd))
                h = out
        v = net.flatten.forward(h)
        for name, dense, _, _ in net.fc_layers:
            out = dense.forward(v)
            rows.append((name, ms(lambda d=dense, v=v: d.forward(v)), ms(lambda d=dense, o=out: d.backward(o))))
            v = out
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--methods", action="store_true",
                        help="also time every 3x3 convolution by the method the network does not use")
    args = parser.parse_args()

    data = load_sample()
    x, y = to_input(data.train_images), data.train_labels.astype(np.intp)
    blas = ", ".join(f"{i['internal_api']} {i.get('version')} ({i.get('architecture')})" for i in threadpool_info()
                     if i["user_api"] == "blas")
    print(f"machine: {platform.processor() or platform.machine()}, {platform.system()}, numpy {np.__version__}, {blas}")
    try:
        import torch

        print(f"torch {torch.__version__}")
    except ImportError:
        torch = None
        print("torch not installed (pip install -e .[bench]): cnnviz figures only")

    test = to_input(np.concatenate([data.test_images] * 10))  # 10,000 images
    names = ["cnnviz"] + (["torch", "torch channels_last"] if torch is not None else [])
    runs = {
        "training": [lambda: cnnviz_rate(x, y, args.batch_size, args.threads, args.seconds),
                     lambda: torch_rate(x, y, args.batch_size, args.threads, args.seconds),
                     lambda: torch_rate(x, y, args.batch_size, args.threads, args.seconds, channels_last=True)],
        "inference": [lambda: cnnviz_inference_rate(test, args.threads),
                      lambda: torch_inference_rate(test, args.threads),
                      lambda: torch_inference_rate(test, args.threads, channels_last=True)],
    }
    results = {(kind, name): [] for kind in runs for name in names}
    for r in range(args.rounds):
        for kind, fns in runs.items():
            line = f"round {r + 1}, {kind:9s}:"
            for name, fn in zip(names, fns):
                results[kind, name].append(fn())
                line += f"   {name} {results[kind, name][-1][0]:6.0f}"
            print(line + " images/s", flush=True)
    print(f"\nmedians, batch {args.batch_size}, {args.threads} threads, float32, images per second of wall-clock time "
          f"(and of CPU time):")
    for kind in runs:
        med = {name: [statistics.median(v[i] for v in results[kind, name]) for i in (0, 1)] for name in names}
        for name in names:
            print(f"  {kind:9s} {name:20s} {med[name][0]:7.0f}  ({med[name][1]:6.0f})")
        for other in names[1:]:
            print(f"  {kind:9s} ratio cnnviz / {other:20s} {med['cnnviz'][0] / med[other][0]:.2f}  "
                  f"({med['cnnviz'][1] / med[other][1]:.2f})")

    print("\nper layer, one thread, batch of", args.batch_size, "(ms)")
    print(f"  {'layer':16s} {'forward':>8s} {'backward':>9s}")
    for name, fwd, bwd in per_layer(x, y, args.batch_size, args.methods):
        print(f"  {name:16s} {fwd:8.2f} {bwd:9.2f}")

    net = Network()
    t0 = time.perf_counter()
    for i in range(100):
        net.forward(test[i:i + 1])
    print(f"\nforward trace of one image: {(time.perf_counter() - t0) / 100 * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
