"""Make resources/mnist-sample.npz, the small balanced MNIST subset bundled with cnnviz.

Usage (from the repository root):

    .venv/bin/python tools/make_sample.py [MNIST_DIR] [--out resources/mnist-sample.npz]

MNIST_DIR holds the four standard IDX files (default: ../shared/data/mnist next to the repository).
With ``np.random.default_rng(seed=20240611)`` the script draws, without replacement, 200 training
images of each digit (2,000 in all, from the 60,000) and then 100 test images of each digit (1,000 in
all, from the 10,000), digit by digit from 0 to 9. The chosen indices are sorted, so the sample keeps
the original order. Saved with ``np.savez_compressed``: train_images (2000, 28, 28) uint8,
train_labels (2000,) uint8, train_indices (2000,) int64 (positions in the original training set),
and test_images, test_labels, test_indices likewise. Running it again gives the same arrays.
The licence and attribution that must ship with the sample are in resources/MNIST-LICENSE.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from cnnviz.data import load_mnist_dir

SEED = 20240611
PER_CLASS = {"train": 200, "test": 100}
REPO = Path(__file__).resolve().parent.parent


def balanced_indices(labels: np.ndarray, per_class: int, rng: np.random.Generator) -> np.ndarray:
    """``per_class`` indices of each label 0..9, drawn without replacement, returned sorted."""
    chosen = [rng.choice(np.flatnonzero(labels == digit), per_class, replace=False) for digit in range(10)]
    return np.sort(np.concatenate(chosen)).astype(np.int64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mnist_dir", nargs="?", type=Path, default=REPO.parent / "shared" / "data" / "mnist")
    parser.add_argument("--out", type=Path, default=REPO / "resources" / "mnist-sample.npz")
    args = parser.parse_args()

    mnist = load_mnist_dir(args.mnist_dir)
    rng = np.random.default_rng(seed=SEED)
    arrays = {}
    for split, images, labels in (("train", mnist.train_images, mnist.train_labels),
                                  ("test", mnist.test_images, mnist.test_labels)):
        idx = balanced_indices(labels, PER_CLASS[split], rng)
        arrays |= {f"{split}_images": images[idx], f"{split}_labels": labels[idx], f"{split}_indices": idx}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)
    print(f"Wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB): "
          f"{len(arrays['train_labels'])} train / {len(arrays['test_labels'])} test images.")


if __name__ == "__main__":
    main()
