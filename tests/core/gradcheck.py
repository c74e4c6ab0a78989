"""Finite-difference gradient checking (float64, central differences) and the lecture's convolution as loops."""

import numpy as np


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """d f / d x by central differences, one element at a time; ``f`` is re-evaluated and x restored."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        fp = f()
        x[i] = old - eps
        fm = f()
        x[i] = old
        grad[i] = (fp - fm) / (2 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``|a - b| / (|a| + |b|)`` in the 2-norm (0 when both are 0)."""
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / denom) if denom else 0.0


TOLERANCE = 1e-6


def check_layer(layer, x, *, params=(), forward_kwargs=None, seed=0):
    """Compare backward() with finite differences of L = sum(G * forward(x)) for x and every parameter."""
    forward_kwargs = forward_kwargs or {}
    out = layer.forward(x, **forward_kwargs)
    G = np.random.default_rng(seed).standard_normal(out.shape)
    G_before = G.copy()
    dx = layer.backward(G)
    np.testing.assert_array_equal(G, G_before)  # backward never writes into dout

    def loss():
        return float((layer.forward(x, **forward_kwargs) * G).sum())

    if dx is not None:
        assert dx.shape == x.shape
        assert relative_error(dx, numerical_gradient(loss, x)) < TOLERANCE
    analytic = {k: layer.grads[k].copy() for k in params}
    for k in params:
        assert analytic[k].shape == layer.params[k].shape
        assert relative_error(analytic[k], numerical_gradient(loss, layer.params[k])) < TOLERANCE


def naive_conv(x_nchw, W, b, padding):
    """u(k,i,j) = sum_c sum_mu sum_nu F(k,c,mu,nu) x(c, i+mu, j+nu) + b(k), literally (section 3.2)."""
    N, C, H, Wd = x_nchw.shape
    K, _, m, _ = W.shape
    if padding == "same":
        before, after = (m - 1) // 2, m // 2
        x_nchw = np.pad(x_nchw, ((0, 0), (0, 0), (before, after), (before, after)))
    Ho, Wo = x_nchw.shape[2] - m + 1, x_nchw.shape[3] - m + 1
    u = np.zeros((N, K, Ho, Wo))
    for n in range(N):
        for k in range(K):
            for i in range(Ho):
                for j in range(Wo):
                    u[n, k, i, j] = (W[k] * x_nchw[n, :, i:i + m, j:j + m]).sum() + b[k]
    return u
