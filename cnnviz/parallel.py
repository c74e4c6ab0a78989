"""Each minibatch split across worker threads, one BLAS thread each.

Two cores, two ways to use them: two BLAS threads inside every matrix product, or two halves of the minibatch
computed side by side with one BLAS thread each. The second wins here: the im2col copies, pooling and ReLU
(most of a step's time in NumPy) run in parallel too, since NumPy releases the GIL in them; and a
single-threaded BLAS never waits at a barrier for a core that the GUI thread is holding (two BLAS threads
slow down many times over when another thread keeps one core busy).

The halves are exact: each replica computes the mean loss of its part and the combined gradient is the
weighted sum ``g = sum_i (n_i / N) g_i``, the gradient of the mean over the whole minibatch.
"""

from __future__ import annotations

import ctypes
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from cnnviz.core import Network
from cnnviz.core.network import EVAL_BATCH

_one_blas_thread = None
_malloc_trim = None  # glibc's malloc_trim, once looked up (False: not glibc)


def release_free_memory() -> None:
    """Give the pages malloc holds free back to the system (glibc's ``malloc_trim(0)``; elsewhere nothing).

    A step's arrays of a few MB each are allocated and freed again; glibc raises its mmap threshold after the
    first frees, so they come from the heap, where their holes grow a few MB a minute (fragmentation, not a
    leak: benchmarks/soak.py shows malloc's free bytes). Fixing the threshold instead slows training a lot
    (every array mapped and zeroed anew); a trim at each snapshot costs the worker thread far less (the figures:
    docs/speed.md)."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            _malloc_trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError, TypeError):  # not glibc (TypeError: CDLL(None) on Windows)
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


def use_one_blas_thread() -> None:
    """One BLAS thread in the whole process from now on (idempotent; never switched back).

    A run computes on as many threads as it is given (``threads``, ``--threads``), one BLAS thread each: with one
    thread, OpenBLAS's own threads would spin beside it (ten times slower a step on a busy 2-core machine), and
    the window and the command line take every sum in the same order. Switching OpenBLAS back to two threads
    between runs is harmful: once another thread has used two, the workers' products ran about twice as slow
    on a 2-core machine (benchmarks/gui_responsiveness.py). So the setting is made once, for good.
    """
    global _one_blas_thread
    if _one_blas_thread is None:
        _one_blas_thread = threadpool_limits(1, user_api="blas")


def _quiet(method, *args):
    """``method(*args)`` with NumPy's floating-point warnings off, in the thread that runs it (the error state is
    per thread). A diverging run overflows to inf and NaN, which the trainer checks for and reports itself in
    one sentence; NumPy's RuntimeWarnings would only add noise."""
    with np.errstate(all="ignore"):
        return method(*args)


class GradientWorkers:
    """``loss_and_gradients(x, labels)`` of a network over ``threads`` replicas sharing its parameters."""

    def __init__(self, network: Network, threads: int, seed: int):
        self.replicas = [network] + [network.replica() for _ in range(threads - 1)]
        # Dropout masks: one generator per replica, all derived from the run's seed.
        self.rngs = [np.random.default_rng([seed, i]) for i in range(threads)]
        self.grads = {name: np.zeros_like(p) for name, p in network.params.items()}
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="cnnviz-grad") if threads > 1 else None
        use_one_blas_thread()

    def loss_and_gradients(self, x: np.ndarray, labels: np.ndarray) -> tuple[float, int, dict[str, np.ndarray]]:
        """Mean loss over the minibatch, the number classified right, and the gradient of the mean loss
        (arrays owned by this object, overwritten by the next call)."""
        N = len(x)
        parts = [p for p in np.array_split(np.arange(N), len(self.replicas)) if len(p)]
        if self._pool is None or len(parts) == 1:
            loss, correct = _quiet(self.replicas[0].train_batch, x, labels, self.rngs[0])
            for name, g in self.replicas[0].gradients.items():
                self.grads[name][...] = g
            return loss, correct, self.grads
        futures = [self._pool.submit(_quiet, r.train_batch, x[p], labels[p], rng)
                   for r, p, rng in zip(self.replicas, parts, self.rngs)]
        results = [f.result() for f in futures]
        weights = [len(p) / N for p in parts]
        for name, total in self.grads.items():
            np.multiply(self.replicas[0].gradients[name], weights[0], out=total)
            for r, w in zip(self.replicas[1:len(parts)], weights[1:]):
                total += w * r.gradients[name]
        loss = sum(w * res[0] for w, res in zip(weights, results))
        return float(loss), sum(res[1] for res in results), self.grads

    def predict_proba(self, x: np.ndarray, batch_size: int = EVAL_BATCH) -> np.ndarray:
        """Output probabilities of many images (inference mode), the images shared out between the threads."""
        if self._pool is None or len(x) <= batch_size:
            return _quiet(self.replicas[0].predict_proba, x, batch_size)
        # Split at multiples of the batch size: every image then meets the same products as in one thread.
        n_batches = -(-len(x) // batch_size)
        cuts = [min(len(x), batch_size * (n_batches * i // len(self.replicas)))
                for i in range(len(self.replicas) + 1)]
        futures = [self._pool.submit(_quiet, r.predict_proba, x[a:b], batch_size)
                   for r, a, b in zip(self.replicas, cuts, cuts[1:]) if b > a]
        return np.concatenate([f.result() for f in futures])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
