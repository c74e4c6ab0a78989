"""Preparing any image of a digit the way MNIST's were, so that the network can be asked what it is.

LeCun, Cortes and Burges describe MNIST's preparation (http://yann.lecun.com/exdb/mnist/): "The original black
and white images from NIST were size normalized to fit in a 20x20 pixel box while preserving their aspect ratio.
The resulting images contain grey levels as a result of the anti-aliasing technique used by the normalization
algorithm. The images were centered in a 28x28 image by computing the center of mass of the pixels, and
translating the image so as to position this point at the center of the 28x28 field." :func:`prepare_image`
does the same to a drawing or a photo; it imports NumPy only.
"""

from __future__ import annotations

import numpy as np

__all__ = ["BOX", "CENTRE", "INK", "SIZE", "full_scale", "grey", "prepare_image", "resample"]

SIZE = 28  # the prepared image is SIZE x SIZE
BOX = 20  # its digit's bounding box fits BOX x BOX
# Where the centre of mass goes, in pixel indices (row, column): MNIST's digits have theirs at (14.0, 14.0) on
# average (measured on the bundled sample's 1,000 test digits: 13.997 and 14.009, spread 0.29), not at 13.5.
CENTRE = 14.0
INK = 0.1  # after the background is removed and the brightest pixel is 1, fainter pixels are background (noise)
MAX_SIDE = 2048  # a larger image is first shrunk by averaging blocks (a photo's digit ends up 20 pixels tall)


def prepare_image(array) -> np.ndarray:
    """An image of a digit -> a (28, 28) float32 image prepared as MNIST's were: a light digit on black, values
    in [0, 1], its bounding box fitting 20 x 20, its centre of mass at the centre.

    ``array`` is (H, W) grey, (H, W, 3) RGB or (H, W, 4) RGBA, of any size, and holds integers of 8 or 16 bits or
    floats from 0 to 1 (:func:`full_scale`: uint8 pixels count 0..255, uint16 0..65535, other integer types by the
    largest value they hold; a float image with values outside [0, 1] is refused, not clipped); the digit may be
    dark on light (ink on paper) or light on dark (as in MNIST). The steps:

    1. Grey: RGB becomes its luminance ``g = 0.299 R + 0.587 G + 0.114 B`` (ITU-R BT.601), scaled to [0, 1] by
       dividing by the full scale.
       RGBA is first laid on a background that contrasts with its opaque pixels (white under dark ink, black
       under light ink): a digit drawn on a transparent canvas keeps its ink. An image with a side longer than
       MAX_SIDE (2048) pixels is first shrunk by averaging k x k blocks, k the smallest integer that brings it
       within MAX_SIDE (a photo's digit is far larger than the 20 pixels it becomes; this bounds the memory).
    2. Polarity: the background is the median ``g_b`` of the border pixels (the image's outermost rows and
       columns). If ``g_b > 0.5`` the image is dark on light and is inverted, ``g <- 1 - g``. Then the
       background is removed and the contrast stretched, ``x = (g - g_b) / (max g - g_b)`` clipped to [0, 1],
       and pixels with ``x < INK`` (0.1) are set to 0 (paper texture, JPEG noise).
    3. Bounding box: the smallest rectangle holding every pixel with ``x > 0``, h x w.
    4. Size: the box is resampled to ``round(h s) x round(w s)`` with ``s = 20 / max(h, w)``, so that its longer
       side is 20 and the aspect ratio is kept (:func:`resample`: area averaging where it shrinks, linear
       interpolation where it grows; both anti-alias as MNIST's normalisation did). Values stay in [0, 1].
    5. Centre: the box is placed in a black 28 x 28 image so that its centre of mass
       ``(sum_ij i x_ij / sum_ij x_ij, sum_ij j x_ij / sum_ij x_ij)`` lands as near as an integer shift can
       (no resampling, as in MNIST) to ``CENTRE = (14, 14)``, where MNIST's digits have theirs; the box is
       kept whole inside the image (a digit whose mass lies far to one side stops at the border).

    The result is float32 in [0, 1]. The window and the command line feed images to the network as uint8, as
    MNIST's are stored (:func:`cnnviz.data.to_input` divides by 255): ``np.round(255 * prepared)`` as uint8
    goes through that same path (:func:`cnnviz.data.to_uint8`).

    ValueError (one sentence) for an array that is not an image (wrong shape, empty, not numbers, NaN, values
    outside its scale) and for an image with no digit (every pixel the background's).
    """
    g = grey(array)
    if g.shape[0] < 1 or g.shape[1] < 1:
        raise ValueError(f"An image must be at least 1 x 1 pixel, not {g.shape[0]} x {g.shape[1]}.")
    border = np.concatenate([g[0], g[-1], g[:, 0], g[:, -1]])
    background = float(np.median(border))
    if background > 0.5:
        g, background = 1.0 - g, 1.0 - background
    top = float(g.max())
    if top - background < 1e-3:
        raise ValueError("The image is empty: every pixel has the background's colour, so there is no digit.")
    x = np.clip((g - background) / (top - background), 0.0, 1.0).astype(np.float32)
    x[x < INK] = 0.0
    rows, cols = np.flatnonzero(x.any(axis=1)), np.flatnonzero(x.any(axis=0))
    x = x[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = x.shape
    s = BOX / max(h, w)
    x = resample(x, (max(1, round(h * s)), max(1, round(w * s))))
    return _centred(x)


def grey(array) -> np.ndarray:
    """Step 1 of :func:`prepare_image` alone: the image as (H, W) float32 grey in [0, 1], nothing else done
    (the Filter playground shows an image file this way)."""
    a = np.asarray(array)
    if a.dtype == bool:
        a = a.astype(np.uint8) * 255
    if not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
        raise ValueError(f"An image must be an array of numbers, not of {a.dtype}.")
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (1, 3, 4)):
        raise ValueError(f"An image must be (H, W) grey, (H, W, 3) RGB or (H, W, 4) RGBA, not of shape {a.shape}.")
    if a.size == 0:
        raise ValueError(f"An image must be at least 1 x 1 pixel, not of shape {a.shape}.")
    if np.issubdtype(a.dtype, np.floating) and not np.isfinite(a).all():
        raise ValueError("An image must have finite values, but this one has NaN or infinite pixels.")
    scale = 1 / full_scale(a)
    a = a if a.ndim == 3 else a[:, :, None]
    k = -(-max(a.shape[:2]) // MAX_SIDE)
    if k > 1:  # block means, (H // k, W // k, C)
        h, w = a.shape[0] // k * k, a.shape[1] // k * k
        a = a[:h, :w].reshape(h // k, k, w // k, k, a.shape[2]).mean(axis=(1, 3), dtype=np.float32)
    a = np.clip(a.astype(np.float32) * np.float32(scale), 0.0, 1.0)
    if a.shape[2] == 1:
        return a[:, :, 0]
    grey = 0.299 * a[:, :, 0] + 0.587 * a[:, :, 1] + 0.114 * a[:, :, 2]
    if a.shape[2] == 4:
        alpha = a[:, :, 3]
        opaque = grey[alpha > 0.5]
        under = 1.0 if opaque.size and float(opaque.mean()) < 0.5 else 0.0  # contrasts with the ink
        grey = alpha * grey + (1.0 - alpha) * under
    return grey


def full_scale(a: np.ndarray) -> int:
    """The value of white in image ``a`` (an array of numbers): 255 for uint8 and int8, 65535 for uint16 and
    int16 (the bit depths of image files), 1 for floats; for wider integer types (int32, int64: a list of numbers,
    a 32-bit image mode) 255 where every value is at most 255, else 65535. ValueError (one sentence) for a
    negative value or one above the full scale."""
    low, high = (float(a.min()), float(a.max())) if a.size else (0.0, 0.0)
    if np.issubdtype(a.dtype, np.floating):
        if low < 0 or high > 1:
            raise ValueError(f"A float image must hold values from 0 to 1, not {low:g} to {high:g} (divide 8-bit "
                             "pixels by 255, or pass them as uint8).")
        return 1
    scale = {1: 255, 2: 65535}.get(a.dtype.itemsize, 255 if high <= 255 else 65535)
    if low < 0 or high > scale:
        raise ValueError(f"An image's integer pixels must be from 0 to {scale}, not {low:.0f} to {high:.0f}.")
    return scale


def resample(x: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """``x`` (h, w) resampled to ``shape`` (H, W), separably: ``A x B^T`` with one matrix per axis. Along an axis
    that shrinks, output pixel ``i`` is the mean of the input over ``[i n/N, (i + 1) n/N)`` (area averaging,
    weights the overlapped fractions of input pixels); along one that grows, it is the linear interpolation at
    ``(i + 0.5) n/N - 0.5`` (pixel centres aligned, clamped at the edges). Each row of each matrix sums to 1, so
    values stay within the input's range. float32."""
    a = _axis_matrix(x.shape[0], shape[0])
    b = _axis_matrix(x.shape[1], shape[1])
    return (a @ x.astype(np.float32) @ b.T).astype(np.float32)


def _axis_matrix(n: int, m: int) -> np.ndarray:
    """The (m, n) resampling matrix of one axis (see :func:`resample`)."""
    w = np.zeros((m, n), dtype=np.float32)
    if m <= n:  # area: output pixel i covers input [i n/m, (i + 1) n/m)
        edges = np.arange(m + 1) * (n / m)
        for i in range(m):
            lo, hi = edges[i], edges[i + 1]
            for k in range(int(np.floor(lo)), min(n, int(np.ceil(hi)))):
                w[i, k] = min(hi, k + 1) - max(lo, k)
        return w / w.sum(axis=1, keepdims=True)
    pos = np.clip((np.arange(m) + 0.5) * (n / m) - 0.5, 0, n - 1)
    k = np.minimum(np.floor(pos).astype(int), n - 2) if n > 1 else np.zeros(m, dtype=int)
    t = pos - k
    rows = np.arange(m)
    w[rows, k] += 1 - t
    if n > 1:
        w[rows, k + 1] += t
    return w


def _centred(x: np.ndarray) -> np.ndarray:
    """Step 5: ``x`` (h, w), h and w <= 20, placed in 28 x 28 with its centre of mass nearest CENTRE."""
    h, w = x.shape
    total = float(x.sum())
    com_r = float(x.sum(axis=1) @ np.arange(h)) / total
    com_c = float(x.sum(axis=0) @ np.arange(w)) / total
    top = int(np.clip(np.floor(CENTRE - com_r + 0.5), 0, SIZE - h))
    left = int(np.clip(np.floor(CENTRE - com_c + 0.5), 0, SIZE - w))
    out = np.zeros((SIZE, SIZE), dtype=np.float32)
    out[top:top + h, left:left + w] = x
    return out
