"""The lecture's network: its configuration, parameters, forward trace and back-propagation (section 3).

Layer order: for every conv layer ``l``: ``u = F * x + b`` (same or valid), ``a = ReLU(u)``, ``p = pool(a)``
(max, average, or none); then the last ``p`` is flattened in (c, i, j) order; for every hidden fully
connected layer ``u = W v + b``, ``a = ReLU(u)``, dropout on ``a`` while training; the last fully connected
layer's ``u`` goes into softmax and the mean cross-entropy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from cnnviz.core.convpool import ConvMaxPool
from cnnviz.core.functional import log_softmax
from cnnviz.core.inputs import image_input, network_input, seed_problem
from cnnviz.core.layers import (
    AvgPool2D,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    MaxPool2D,
    ReLU,
    SoftmaxCrossEntropy,
)
from cnnviz.core.program import ColumnMajorMaxPool, ProgramDropout
from cnnviz.errors import QT_TRANSLATE_NOOP, ConfigError, format_number, problem

EVAL_BATCH = 100
"""Images that :meth:`Network.predict_proba` (and a worker thread of the window's evaluation) computes at a time:
100 and 500 ran equally fast (docs/speed.md), and a smaller batch holds less memory."""
PADDINGS = ("same", "valid")
POOLINGS = ("max", "average", "none")
RULES = ("lecture", "program")


@dataclass(frozen=True)
class ConvSpec:
    """One conv layer: ``filters`` (K) of ``size`` x ``size``, ``padding`` same/valid, ``pooling`` max/average/none."""

    filters: int
    size: int = 3
    padding: str = "same"
    pooling: str = "max"


@dataclass(frozen=True)
class NetworkConfig:
    """The architecture; ``NetworkConfig()`` is the lecture program's network.

    ``input_shape`` (C, H, W); ``conv`` the conv layers in order; ``fc`` the fully connected sizes, the last one
    the number of classes; ``dropout`` the ratio on hidden fully connected activations; ``seed`` for He
    initialisation (``randn * sqrt(2 / fan_in)``, biases 0). ``rules`` "lecture" (the text's: inverted dropout
    on every hidden fully connected layer with its mask in the backward pass, pooling ties to the first position
    in row-major order) or "program" (the appendix program's: see :mod:`cnnviz.core.program`).
    """

    input_shape: tuple[int, int, int] = (1, 28, 28)
    conv: tuple[ConvSpec, ...] = (ConvSpec(32), ConvSpec(64))
    fc: tuple[int, ...] = (100, 200, 10)
    dropout: float = 0.2
    seed: int = 0
    rules: str = "lecture"

    def __post_init__(self):
        # Accept lists and dicts (from JSON or a notebook) and store tuples of ConvSpec.
        object.__setattr__(self, "input_shape", tuple(int(n) for n in self.input_shape))
        convs = tuple(c if isinstance(c, ConvSpec) else ConvSpec(**c) for c in self.conv)
        object.__setattr__(self, "conv", convs)
        object.__setattr__(self, "fc", tuple(int(n) for n in self.fc))
        self.shapes()  # refuse an impossible configuration at once

    @classmethod
    def from_sizes(cls, conv: Sequence[int] = (32, 64), fc: Sequence[int] = (100, 200, 10),
                   filter_size: int = 3, padding: str = "same", pooling: str = "max", **kwargs) -> NetworkConfig:
        """The usual shorthand: every conv layer with the same filter size, padding and pooling."""
        return cls(conv=tuple(ConvSpec(k, filter_size, padding, pooling) for k in conv), fc=tuple(fc), **kwargs)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping) -> NetworkConfig:
        return cls(**d)

    @property
    def n_classes(self) -> int:
        return self.fc[-1]

    def problems(self) -> list[tuple[str, str]]:
        """Every problem of this architecture as (field, sentence) pairs (see :func:`network_problems`)."""
        return network_problems(self.input_shape, self.conv, self.fc, self.dropout, self.rules, self.seed)

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """The names and shapes of the parameters, in order, without allocating them: conv ``W`` (K, C, m, m) =
        F(k, c, mu, nu) and ``b`` (K,); fully connected ``W`` (out, in) and ``b`` (out,)."""
        shapes: dict[str, tuple[int, ...]] = {}
        c = self.input_shape[0]
        for l, spec in enumerate(self.conv, 1):
            shapes[f"conv{l}.W"], shapes[f"conv{l}.b"] = (spec.filters, c, spec.size, spec.size), (spec.filters,)
            c = spec.filters
        n_in = self.shapes()[-len(self.fc) - 1][1][0]
        for l, n in enumerate(self.fc, 1):
            shapes[f"fc{l}.W"], shapes[f"fc{l}.b"] = (n, n_in), (n,)
            n_in = n
        return shapes

    def shapes(self) -> list[tuple[str, tuple[int, ...]]]:
        """Every layer's output shape (C, H, W) or (n,), in order; raises ConfigError (carrying the field: "conv2",
        "fc", ...) for the first problem of an impossible one."""
        for field_name, sentence in self.problems():
            raise ConfigError(sentence, field_name)
        c, h, w = self.input_shape
        out = []
        for l, spec in enumerate(self.conv, 1):
            if spec.padding == "valid":
                h, w = h - spec.size + 1, w - spec.size + 1
            c = spec.filters
            out.append((f"conv{l}.u", (c, h, w)))
            if spec.pooling != "none":
                h, w = h // 2, w // 2
                out.append((f"conv{l}.p", (c, h, w)))
        out.append(("flatten", (c * h * w,)))
        for l, n in enumerate(self.fc, 1):
            out.append((f"fc{l}.u", (n,)))
        return out


def network_problems(input_shape: Sequence[int], conv: Sequence[ConvSpec], fc: Sequence[int] | None = None,
                     dropout: float | None = None, rules: str = "lecture", seed: int | None = None
                     ) -> list[tuple[str, str]]:
    """Every problem of an architecture, as (field, sentence) pairs: the one rule set of the network, which
    :meth:`NetworkConfig.shapes` (the first problem, raised), the training form (every problem under its field) and
    the command line ask. Fields: "input_shape", "fc", "dropout", "rules", "seed", and "conv1", "conv2"... (a layer
    may have more than one sentence). ``fc``, ``dropout`` or ``seed`` None: not judged (the form could not read them;
    a run's configuration judges its seed among its own settings).

    Every conv layer is judged on the map its predecessors leave, so that one layer's problem does not hide a later
    one's; a too-large filter with same padding leaves the map's size known, but after a layer whose output cannot
    be known (a valid filter larger than its map, a map pooled to nothing, an unknown padding or pooling) the later
    layers have no input size: only their filter counts are judged."""
    problems: list[tuple[str, str]] = []
    if len(input_shape) != 3 or min(input_shape) < 1:
        problems.append(("input_shape", "input shape must be (channels, height, width) of positive sizes, not "
                                        f"{tuple(input_shape)}"))
    if fc is not None:
        fc = tuple(fc)
        if not fc or min(fc) < 1:
            problems.append(("fc", problem(QT_TRANSLATE_NOOP("problems", "fully connected sizes must be positive and "
                                                             "end in the class count, not {fc}"), fc=fc)))
        elif fc[-1] < 2:
            problems.append(("fc", problem(QT_TRANSLATE_NOOP("problems", "the last fully connected layer is the class "
                                                             "count and needs at least 2, not {n}"), n=fc[-1])))
    if dropout is not None and not 0 <= dropout < 1:
        problems.append(("dropout", problem(QT_TRANSLATE_NOOP("problems", "the dropout ratio must be in [0, 1), not "
                                                              "{v}"), v=format_number(dropout))))
    if rules not in RULES:
        problems.append(("rules", f"rules must be one of {', '.join(RULES)}, not {rules!r}"))
    if seed is not None and (wrong := seed_problem(seed)):
        problems.append(("seed", wrong))
    if problems and problems[0][0] == "input_shape":
        return problems
    _, h, w = input_shape
    known = True  # whether the map a layer gets is known
    for l, spec in enumerate(conv, 1):
        name = f"conv{l}"
        if spec.filters < 1:
            problems.append((name, problem(QT_TRANSLATE_NOOP("problems", "{name} needs at least 1 filter"), name=name)))
        if spec.size < 1:
            problems.append((name, problem(QT_TRANSLATE_NOOP("problems", "{name}: the filter size must be at least 1, "
                                                             "not {m}"), name=name, m=spec.size)))
            known = False
        if spec.padding not in PADDINGS:
            problems.append((name, problem(QT_TRANSLATE_NOOP("problems", "{name}: padding must be one of {names}, not "
                                                             "{v}"), name=name, names=", ".join(PADDINGS),
                                           v=repr(spec.padding))))
            known = False
        if spec.pooling not in POOLINGS:
            problems.append((name, problem(QT_TRANSLATE_NOOP("problems", "{name}: pooling must be one of {names}, not "
                                                             "{v}"), name=name, names=", ".join(POOLINGS),
                                           v=repr(spec.pooling))))
            known = False
        if not known:
            continue
        # A filter larger than its input map is refused with either padding: with valid padding it has no
        # position; with same padding every position would see mostly padding zeros (and it costs m^2 a pixel).
        if spec.size > h or spec.size > w:
            problems.append((name, problem(QT_TRANSLATE_NOOP("problems", "{name}: a {m}x{m} filter does not fit its "
                                                             "{h}x{w} input with {padding} padding"),
                                           name=name, m=spec.size, h=h, w=w, padding=spec.padding)))
            if spec.padding == "valid":
                known = False
                continue
        elif spec.padding == "valid":
            h, w = h - spec.size + 1, w - spec.size + 1
        if spec.pooling != "none":
            if h < 2 or w < 2:
                problems.append((name, problem(QT_TRANSLATE_NOOP("problems", "{name}: 2x2 pooling of a {h}x{w} map "
                                                                 "leaves nothing"), name=name, h=h, w=w)))
                known = False
            else:
                h, w = h // 2, w // 2
    return problems


@dataclass
class ConvTrace:
    """One conv layer's maps for a batch, (N, C, H, W) like the notes' ``x(c, i, j)``.

    ``winners`` (N, C, h', w') holds 0..3, the row-major position inside each 2x2 block that won the max
    pooling (None for average or no pooling); ``winner_positions`` gives the notes' (zeta, eta).
    """

    u: np.ndarray
    a: np.ndarray
    p: np.ndarray
    winners: np.ndarray | None

    def winner_positions(self) -> tuple[np.ndarray, np.ndarray]:
        """``(zeta, eta)``: row and column in ``a`` of each block's winner, arrays of shape (N, C, h', w')."""
        _, _, h, w = self.winners.shape
        i = 2 * np.arange(h)[:, None] + self.winners // 2
        j = 2 * np.arange(w)[None, :] + self.winners % 2
        return i, j


@dataclass
class FCTrace:
    """One fully connected layer: ``u = W v + b`` and ``a = ReLU(u)`` (``a`` is ``u`` for the output layer)."""

    u: np.ndarray
    a: np.ndarray


@dataclass
class Trace:
    """Everything the forward pass computed for a batch: the views draw from it."""

    x: np.ndarray
    conv: list[ConvTrace] = field(default_factory=list)
    fc: list[FCTrace] = field(default_factory=list)
    probs: np.ndarray | None = None


def _nchw(t: np.ndarray) -> np.ndarray:
    return t.transpose(0, 3, 1, 2)


class Network:
    """The lecture's CNN (``Network(NetworkConfig())`` is the program's network), in float32 or float64.

    ``params`` maps ``conv1.W``, ``conv1.b``, ..., ``fc1.W``, ``fc1.b``, ... to arrays: conv ``W`` (K, C, m, m),
    fc ``W`` (out, in). Inputs ``x`` are batches (N, C, H, W), N >= 1, taken by :func:`cnnviz.core.inputs.
    network_input`'s one rule: integer (uint8) pixels 0..255 are divided by 255, floats are already in [0, 1].
    Labels are whole numbers 0..k-1 for k classes. A bad argument is a ValueError of one sentence.
    """

    def __init__(self, config: NetworkConfig | None = None, seed: int | None = None, dtype=np.float32):
        self.config = config if config is not None else NetworkConfig()
        try:
            self.dtype = np.dtype(dtype)
        except TypeError:
            raise ConfigError(f"dtype must be float32 or float64, not {dtype!r}", "dtype") from None
        if self.dtype not in (np.float32, np.float64):
            raise ConfigError(f"dtype must be float32 or float64, not {self.dtype}", "dtype")
        seed = self.config.seed if seed is None else seed
        if wrong := seed_problem(seed):
            raise ConfigError(wrong, "seed")
        rng = np.random.default_rng(seed)
        # He initialisation: W ~ N(0, 2 / fan_in), fan_in = C m m for a filter and "in" for a dense layer; b = 0
        self.params: dict[str, np.ndarray] = {
            name: self._he(rng, shape, int(np.prod(shape[1:]))) if name.endswith(".W") else np.zeros(shape, self.dtype)
            for name, shape in self.config.param_shapes().items()}
        self._build()

    def _he(self, rng: np.random.Generator, shape: tuple[int, ...], fan_in: int) -> np.ndarray:
        # Drawn in float64 so that float32 and float64 networks start from the same numbers.
        return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(self.dtype)

    def _build(self) -> None:
        """Layer objects around the parameter arrays (shared, never copied)."""
        cfg, P = self.config, self.params
        program = cfg.rules == "program"
        self.conv_layers = []
        # Conv layers and their max pooling computed together, a few images at a time, where they can be (in
        # training and inference without a trace; see _logits and cnnviz.core.convpool).
        self.fused = {}
        for l, spec in enumerate(cfg.conv, 1):
            conv = Conv2D(P[f"conv{l}.W"], P[f"conv{l}.b"], spec.padding, need_dx=l > 1)
            max_pool = ColumnMajorMaxPool if program else MaxPool2D
            pool = {"max": max_pool, "average": AvgPool2D, "none": lambda: None}[spec.pooling]()
            self.conv_layers.append((f"conv{l}", conv, ReLU(), pool))
            if type(pool) is MaxPool2D:
                self.fused[f"conv{l}"] = ConvMaxPool(conv, pool)
        self.flatten = Flatten()
        n_fc = len(cfg.fc)
        self.fc_layers = []
        for l in range(1, n_fc + 1):
            hidden = l < n_fc
            dense = Dense(P[f"fc{l}.W"], P[f"fc{l}.b"])
            # the program drops on every hidden layer but the first, and forgets the mask in the backward pass
            dropout = (ProgramDropout(cfg.dropout if l > 1 else 0.0) if program else Dropout(cfg.dropout))
            self.fc_layers.append((f"fc{l}", dense, ReLU() if hidden else None, dropout if hidden else None))
        self.output = SoftmaxCrossEntropy()
        self._param_layers = {name: layer for name, layer, *_ in self.conv_layers + self.fc_layers}

    def copy(self) -> Network:
        """A network with copies of these parameters (no He initialisation: a few ms less for a big one)."""
        other = object.__new__(Network)
        other.config, other.dtype = self.config, self.dtype
        other.params = {name: p.copy() for name, p in self.params.items()}
        other._build()
        return other

    def replica(self) -> Network:
        """A network sharing these parameter arrays, with its own layer state (for a second worker thread)."""
        other = object.__new__(Network)
        other.config, other.dtype, other.params = self.config, self.dtype, self.params
        other._build()
        return other

    @property
    def gradients(self) -> dict[str, np.ndarray]:
        """The gradients of the last backward pass, same keys and shapes as ``params`` (live arrays)."""
        return {f"{name}.{k}": g for name, layer in self._param_layers.items() for k, g in layer.grads.items()}

    def set_params(self, params: Mapping[str, np.ndarray]) -> None:
        """Copy values into the parameter arrays (same keys and shapes), e.g. from a saved snapshot."""
        if set(params) != set(self.params):
            raise ConfigError(f"parameters {sorted(params)} do not match this network's {list(self.params)}")
        for name, value in params.items():
            if np.shape(value) != self.params[name].shape:
                raise ConfigError(f"{name} has shape {np.shape(value)}, this network needs {self.params[name].shape}")
            self.params[name][...] = value

    def copy_params(self) -> dict[str, np.ndarray]:
        return {name: p.copy() for name, p in self.params.items()}

    def dropout_masks(self) -> dict[str, np.ndarray]:
        """Which units the last training pass kept: per hidden fully connected layer with dropout ("fc1", ...), a
        boolean copy (N, n) of its mask's non-zeros, True for a unit kept; empty after a pass at test time."""
        return {name: dropout.mask > 0 for name, _, _, dropout in self.fc_layers
                if dropout is not None and dropout.mask is not None}

    # -- forward and backward ---------------------------------------------------------------------------------

    def input(self, x) -> np.ndarray:
        """A batch of images as this network's input (:func:`~cnnviz.core.inputs.network_input`: integer pixels
        divided by 255, floats as they are), of at least one image."""
        x = network_input(x, self.dtype, self.config.input_shape)
        if len(x) == 0:
            raise ValueError("a batch needs at least one image, this one has none")
        return x

    def one_input(self, x) -> np.ndarray:
        """One image, (H, W) (one channel), (C, H, W) or (1, C, H, W), as this network's (1, C, H, W) input by
        the same rule (:func:`~cnnviz.core.inputs.image_input`)."""
        return image_input(x, self.dtype, self.config.input_shape)

    def _logits(self, x: np.ndarray, train: bool, rng: np.random.Generator | None, trace: Trace | None,
                backward: bool = False) -> np.ndarray:
        """The output layer's input for ``x``, :meth:`input`'s; ``backward``: a backward pass follows (max pooling
        records its winners, ReLU its f'(u); a trace keeps them too)."""
        if train and self.config.dropout > 0 and rng is None:
            raise ValueError("training with dropout needs a random generator (rng)")
        h = x.transpose(0, 2, 3, 1)  # channel-last inside the layers
        # ReLU and max pooling commute (max f(u) = f(max u) for the non-decreasing f), so without a trace to
        # fill, max pooling goes first and ReLU works on a map four times smaller. The gradient is identical:
        # a block whose max u is <= 0 passes no gradient either way (tests/core/test_network.py checks it).
        # A conv layer and its max pooling are then computed together where they can be (ConvMaxPool), so that
        # u never leaves the processor's cache.
        self._pool_first = trace is None
        self._fused_now = set()  # the layers computed by ConvMaxPool in this pass
        for name, conv, relu, pool in self.conv_layers:
            if self._pool_first and isinstance(pool, MaxPool2D):
                fused = self.fused.get(name)
                if fused is not None and fused.applies(h.shape):
                    p = fused.forward(h, winners=backward)
                    self._fused_now.add(name)
                else:
                    p = pool.forward(conv.forward(h, train), train, winners=backward)
                h = relu.forward(p, train, keep=backward)
                continue
            u = conv.forward(h, train)
            a = relu.forward(u, train, keep=backward or trace is not None)
            h = pool.forward(a, train) if pool is not None else a
            if trace is not None:
                winners = _nchw(pool.winners) if isinstance(pool, MaxPool2D) else None
                trace.conv.append(ConvTrace(_nchw(u), _nchw(a), _nchw(h), winners))
        h = self.flatten.forward(h, train)
        for name, dense, relu, dropout in self.fc_layers:
            u = dense.forward(h, train)
            if relu is None:
                h = u
            else:
                a = relu.forward(u, train, keep=backward or trace is not None)
                h = dropout.forward(a, train, rng)
            if trace is not None:
                trace.fc.append(FCTrace(u, a if relu is not None else u))
        return h

    def forward(self, x: np.ndarray, train: bool = False, rng: np.random.Generator | None = None) -> Trace:
        """The forward pass of a batch with every intermediate map (see :class:`Trace`; ``trace.x`` is the input
        as the network took it, :meth:`input`'s)."""
        trace = Trace(self.input(x))
        logits = self._logits(trace.x, train, rng, trace)
        trace.probs = np.exp(log_softmax(logits))  # as the output layer computes them
        return trace

    def predict_proba(self, x: np.ndarray, batch_size: int = EVAL_BATCH) -> np.ndarray:
        """Output probabilities (N, classes) in inference mode, ``batch_size`` (>= 1) images at a time to bound
        memory (each batch made input by :meth:`input`; N may be 0)."""
        if isinstance(batch_size, (bool, np.bool_)) or not isinstance(batch_size, (int, np.integer)) \
                or batch_size < 1:
            raise ValueError(f"the batch size must be a whole number, 1 or more, not {batch_size!r}")
        x = np.asarray(x)
        network_input(x[:0], self.dtype, self.config.input_shape)  # the shape and type, before any batch
        out = [np.exp(log_softmax(self._logits(self.input(x[i:i + batch_size]), False, None, None)))
               for i in range(0, len(x), batch_size)]
        return np.concatenate(out) if out else np.zeros((0, self.config.n_classes), dtype=self.dtype)

    def loss_and_gradients(self, x: np.ndarray, labels: np.ndarray, rng: np.random.Generator | None = None,
                           train: bool = True) -> tuple[float, dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Mean cross-entropy of the batch, the gradient of every parameter, and every layer's delta.

        Back-propagation of section 3.3: ``delta_out = v - r`` (divided by N for the mean); hidden fully
        connected ``delta = f'(u) * (W_next^T delta_next)`` (times the dropout mask); the first delta of the
        conv stack is reshaped to (c, h, w), routed to each pooling block's winner and masked by ``f'(u)``;
        the deltas of earlier conv layers come from the full correlation with flipped filters.

        Returns ``(loss, grads, deltas)``: ``grads`` has the keys and shapes of ``params`` (fresh copies);
        ``deltas`` maps ``conv1``..., ``fc1``... to ``dE/du`` of that layer ((N, K, H, W) for conv layers).
        ``train`` applies dropout (with ``rng``); ``labels`` (N,) are whole numbers 0..k-1 (ValueError otherwise).
        """
        deltas = {}
        loss, _ = self.train_batch(x, labels, rng, train, deltas)
        grads = {name: g.copy() for name, g in self.gradients.items()}
        return loss, grads, deltas

    def train_batch(self, x: np.ndarray, labels: np.ndarray, rng: np.random.Generator | None = None,
                    train: bool = True, deltas: dict[str, np.ndarray] | None = None) -> tuple[float, int]:
        """Forward and backward for one minibatch: ``(loss, number classified right)``; the gradients are left in
        :attr:`gradients` (live arrays, overwritten by the next call). ``deltas``: a dict to receive every layer's
        delta as :meth:`loss_and_gradients` returns them (training itself needs none of them in that layout)."""
        x = self.input(x)
        labels = self.labels(labels, len(x))
        logits = self._logits(x, train, rng, None, backward=True)
        loss, probs = self.output.forward(logits, labels)
        correct = int((probs.argmax(axis=1) == labels).sum())
        self._backward(deltas)
        return loss, correct

    def labels(self, labels, n: int) -> np.ndarray:
        """``labels`` checked as the classes of ``n`` images: (n,) whole numbers from 0 to k - 1."""
        labels = np.asarray(labels)
        k = self.config.n_classes
        if labels.shape != (n,):
            raise ValueError(f"the labels must be one per image, shape ({n},), not {labels.shape}")
        if labels.dtype == np.bool_ or not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f"the labels must be whole numbers (classes 0 to {k - 1}), not {labels.dtype}")
        low, high = int(labels.min()), int(labels.max())
        if low < 0 or high >= k:
            raise ValueError(f"the labels must be classes 0 to {k - 1}, not {low if low < 0 else high}")
        return labels

    def _backward(self, deltas: dict[str, np.ndarray] | None = None) -> None:
        """Back-propagate from the output layer; fills the layers' ``grads``, and ``deltas`` (in layer order) if
        given."""
        found = {}
        d = self.output.backward()
        for name, dense, relu, dropout in reversed(self.fc_layers):
            if relu is not None:
                d = relu.backward(dropout.backward(d))
            found[name] = d
            d = dense.backward(d)
        d = self.flatten.backward(d)
        for name, conv, relu, pool in reversed(self.conv_layers):
            if name in self._fused_now:
                d = relu.backward(d)
                N, h, w, K = d.shape  # u's height and width are even here: twice the pooled maps'
                delta = None if deltas is None else np.empty((N, 2 * h, 2 * w, K), d.dtype)
                d = self.fused[name].backward(d, delta)
                if delta is not None:
                    found[name] = _nchw(delta)
                continue
            if self._pool_first and isinstance(pool, MaxPool2D):
                d = pool.backward(relu.backward(d))
                found[name] = _nchw(d)
            else:
                d = relu.backward(pool.backward(d) if pool is not None else d)
                found[name] = _nchw(d)
            d = conv.backward(d)
        if deltas is not None:
            deltas.update(reversed(found.items()))
