"""The one rule by which images become the network's input, and the one rule of a seed.

The network computes on pixels in [0, 1] (section 2.1: MNIST's grey levels, 0 black to 1 white). Images reach it
in two forms, and :func:`network_input` turns either into the network's float input for every function that
takes images (:meth:`~cnnviz.core.Network.forward`, :meth:`~cnnviz.core.Network.predict_proba`,
:meth:`~cnnviz.core.Network.loss_and_gradients`, :func:`~cnnviz.core.backprop.backprop`,
:func:`~cnnviz.core.inspect.explain_unit`, :func:`~cnnviz.core.explain_backward.explain_delta` ...):

- an **integer** array (uint8, as MNIST stores its images) holds pixels 0..255 and is divided by 255,
  ``x = pixel / 255``; a value outside 0..255 is refused;
- a **float** array is taken as it is, already scaled to [0, 1]; it must be finite (values outside [0, 1] are
  allowed: a gradient check feeds continuous random inputs).

Anything else (booleans, strings, objects) is refused. Every refusal is a ValueError of one sentence.
"""

from __future__ import annotations

import numpy as np

from cnnviz.errors import QT_TRANSLATE_NOOP, problem

__all__ = ["image_input", "network_input", "seed_problem"]


def network_input(x, dtype=np.float32, shape: tuple[int, int, int] | None = None, *, one: bool = False
                  ) -> np.ndarray:
    """A batch of images ``x`` (N, C, H, W) as the network's input: an array of ``dtype`` (float32 or float64),
    integer pixels divided by 255, floats as they are (see the module docstring). ``shape`` (C, H, W), if given,
    is what every image must be. A float array of ``dtype`` comes back as it is (no copy); an integer one is
    converted in one allocation of ``dtype``. ``one``: the sentences speak of one image (:func:`image_input`)."""
    x = np.asarray(x)
    dtype = np.dtype(dtype)
    integer = np.issubdtype(x.dtype, np.integer)
    noun = "the image" if one else "the images"
    if x.dtype == np.bool_ or not (integer or np.issubdtype(x.dtype, np.floating)):
        raise ValueError(f"{noun} must hold numbers (uint8 pixels or floats in [0, 1]), not {x.dtype}")
    if x.ndim != 4 or (shape is not None and x.shape[1:] != tuple(shape)):
        want = "(N, C, H, W)" if shape is None else f"(N, {', '.join(map(str, shape))})"
        raise ValueError(f"{noun} must be an array of shape {want}, not {x.shape}")
    if integer:
        if x.dtype != np.uint8 and x.size and (x.min() < 0 or x.max() > 255):
            raise ValueError(f"{'an integer image' if one else 'integer images'} must hold pixels from 0 to 255")
        out = x.astype(dtype)  # allocated in the target dtype
        out /= 255
        return out
    out = x.astype(dtype, copy=False)
    if not np.isfinite(out).all():
        raise ValueError(f"{noun} {'holds' if one else 'hold'} values that are not finite (NaN or inf)")
    return out


def image_input(x, dtype, shape: tuple[int, int, int]) -> np.ndarray:
    """One image, ``(H, W)`` (one channel), ``(C, H, W)`` or ``(1, C, H, W)``, as the network's (1, C, H, W)
    input by :func:`network_input`'s rule."""
    C, H, W = shape
    x = np.asarray(x)
    shapes = [(C, H, W), (1, C, H, W)] + ([(H, W)] if C == 1 else [])
    if x.shape not in shapes:
        raise ValueError(f"the image must have shape {' or '.join(map(str, shapes))}, not {x.shape}")
    return network_input(x.reshape(1, C, H, W), dtype, shape, one=True)


def seed_problem(seed) -> str:
    """What is wrong with ``seed`` as a random generator's seed ("" if nothing): it must be a whole number, 0 or
    more (``np.random.default_rng`` takes no other)."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        return problem(QT_TRANSLATE_NOOP("problems", "the seed must be a whole number, 0 or more, not {seed}"),
                       seed=repr(seed))
    return "" if seed >= 0 else problem(QT_TRANSLATE_NOOP("problems", "the seed must be 0 or more, not {seed}"),
                                        seed=seed)
