"""What a run needs in memory, estimated before anything is allocated and refused in one sentence when it exceeds
what is available: the configuration's rule (the form and the command line), the trainer's (with its data), and the
IDX reader's (before a gzip is decompressed). The commands run under a memory limit (RLIMIT_AS), as on a machine
that has less than the run needs: before, --conv 100000 ran 60 s silent and ended in a MemoryError traceback."""

from __future__ import annotations

import gzip
import resource
import struct
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from cnnviz import config as config_module
from cnnviz import data as data_module
from cnnviz import system
from cnnviz.config import make_config, memory_needed, memory_problems, problems
from cnnviz.core import ConvSpec, Network
from cnnviz.core.network import EVAL_BATCH
from cnnviz.data import load_sample, read_idx
from cnnviz.errors import ConfigError, DataError
from cnnviz.training import Trainer

ROOT = Path(__file__).parent.parent
LIMIT = 3 << 30  # bytes of address space: a tiny run peaks at about 0.5 GB of it


def under_limit(*args: str) -> subprocess.CompletedProcess:
    """``python -m cnnviz ARGS`` with its address space limited to LIMIT."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))
    return subprocess.run([sys.executable, "-m", "cnnviz", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, preexec_fn=limit)  # noqa: PLW1509


def test_the_estimate_counts_parameters_activations_and_images():
    net = make_config(conv=(32, 64), fc=(100, 200, 10)).network
    n_params = sum(p.size for p in Network(net).params.values())
    parts = memory_needed(net, 100, 2, "float32", 70_000)
    largest = 100 * 3136  # fc1.W, drawn in float64 by He initialisation
    assert parts["parameters"] == (3 + 2 + 2) * n_params * 4 + 16 * largest
    assert parts["images"] == 70_000 * 784 * 5  # float32 input and the uint8 originals
    # the batch's share grows with it; each thread's buffers do not
    grown = [memory_needed(net, n, 2, "float32")["activations"] for n in (200, 300)]
    assert grown[1] - grown[0] == grown[0] - parts["activations"] > 0
    assert memory_needed(net, 100, 3, "float32")["activations"] > parts["activations"]
    assert memory_needed(net, 100, 2, "float64", 70_000)["images"] == 70_000 * 784 * 9


@pytest.mark.parametrize("settings", [
    {},                                                  # the lecture's: both conv layers with their pooling
    {"preset": "program"},                               # the program's pooling: the layers one by one
    {"conv": (8, 16), "pooling": "average"},
    {"conv": (8, 16), "pooling": "none"},
    {"conv": (16, 32), "filter_size": 4, "padding": "valid"},  # odd outputs: no fused pooling
    {"conv": (16,), "filter_size": 5, "padding": "valid"},
    {"conv": (128, 128), "input_shape": (1, 12, 12)},      # conv2 by Winograd whole
])
def test_the_estimate_bounds_what_a_step_and_an_evaluation_allocate(settings):
    """The estimate against the peak that tracemalloc sees (NumPy reports its arrays to it) in a network's first
    training step and first evaluation batch, buffers included: never less, and not far above."""
    cfg = make_config(fc=(100, 200, 10), **settings).network
    n = EVAL_BATCH  # a training batch as large as an evaluation batch: the estimate's larger part is the step's
    x = np.random.default_rng(0).random((n, *cfg.input_shape), dtype=np.float32)
    for training in (True, False):
        net = Network(cfg)
        tracemalloc.start()
        try:
            if training:
                net.train_batch(x, np.arange(n) % 10, np.random.default_rng(0))
            else:
                net.predict_proba(x)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        estimate = memory_needed(cfg, n if training else 1, 1, "float32")["activations"]
        assert 1.0 <= estimate / peak <= 1.75, (training, estimate, peak)


def test_a_run_that_exceeds_the_available_memory_is_one_sentence_under_the_layer_to_change(monkeypatch):
    monkeypatch.setattr(config_module, "available_memory", lambda: 4 << 30)
    wide = (ConvSpec(100_000),)
    found = problems({"conv": wide, "fc": (100, 200, 10), "batch_size": 100, "threads": 2, "dtype": "float32"})
    assert [field for field, _ in found] == ["conv1"]
    assert found[0][1].startswith("this run needs about 133 GB of memory (parameters, velocity, gradients and "
                                  "snapshots: 86.3 GB; activations of 100-image batches: 47 GB), more than the "
                                  "4.29 GB available")
    assert [f for f, _ in problems({"conv": (ConvSpec(32),), "fc": (1_000_000, 10)})] == ["fc"]
    assert problems({"conv": (ConvSpec(32), ConvSpec(64)), "fc": (100, 200, 10)}) == []  # the lecture's fits
    huge_batch = problems({"conv": (ConvSpec(32), ConvSpec(64)), "fc": (100, 200, 10), "batch_size": 100_000})
    assert [f for f, _ in huge_batch] == ["conv2"] and "activations of 100000-image batches" in huge_batch[0][1]
    net = make_config(conv=(2,), fc=(8, 10)).network
    monkeypatch.setattr(config_module, "available_memory", lambda: 100 << 20)
    assert memory_problems(net, 100, 2, "float32", 100_000)[0][0] == "data"
    with pytest.raises(ConfigError, match="^this run needs about .* the 3,000 images: 11.8 MB\\), more than the "
                                          "105 MB available$") as refused:
        Trainer(make_config(conv=(2000,), fc=(8, 10)), load_sample().limited(2000, 1000))
    assert refused.value.field == "conv1"


def test_available_memory_heeds_the_process_limit():
    code = ("import resource; from cnnviz.system import available_memory; "
            "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); print(available_memory())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert 0 < int(out.stdout) < 2 << 30
    assert system.available_memory() > 0


@pytest.mark.parametrize("network", [["--conv", "100000"], ["--fc", "1000000"]])
def test_train_refuses_a_network_too_large_for_the_memory_at_once(tmp_path, network):
    started = time.monotonic()
    done = under_limit("train", "--data", "sample", *network, "--out", str(tmp_path / "big.h5"))
    assert done.returncode == 2, done.stderr
    line = done.stderr.splitlines()[-1]
    assert line.startswith("cnnviz: this run needs about ") and line.endswith("available")
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert time.monotonic() - started < 60  # refused before allocating, not after a minute of it
    assert not (tmp_path / "big.h5").exists()


def write_idx(path: Path, shape: tuple[int, ...], payload: bytes) -> None:
    raw = bytes([0, 0, 8, len(shape)]) + struct.pack(f">{len(shape)}I", *shape) + payload
    path.write_bytes(gzip.compress(raw, compresslevel=1))


def test_a_data_set_larger_than_the_memory_is_refused_before_it_is_decompressed(tmp_path, monkeypatch):
    """A gzip whose header claims 3.2 GB of images (and whose 4 MB cannot be compressed, so it could hold them):
    refused from the header, under the limit and by the library alike, with how much it needs."""
    noise = np.random.default_rng(0).integers(0, 256, 4 << 20, dtype=np.uint8).tobytes()
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", (4_000_000, 28, 28), noise)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", (4_000_000,), bytes(4_000_000))
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", (10, 28, 28), bytes(7840))
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", (10,), bytes(10))
    done = under_limit("train", "--data", str(tmp_path), "--no-session")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith(
        f"cnnviz: {tmp_path}/train-images-idx3-ubyte.gz holds 4000000 x 28 x 28 values, which need 6.27 GB of memory, "
        "more than the ")
    monkeypatch.setattr(data_module, "available_memory", lambda: 1 << 30)
    with pytest.raises(DataError, match="which need 6.27 GB of memory, more than the 1.07 GB available.$"):
        read_idx(tmp_path / "train-images-idx3-ubyte.gz")
