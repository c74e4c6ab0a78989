"""The configuration of a run: :class:`TrainConfig` (everything that defines a run, saved as JSON in its session
file), the presets, :func:`make_config` (a preset with settings overridden) and :func:`fork_config` (a parent's
configuration with the changes a fork may make), and the one rule set of a configuration: :func:`problems` returns
every problem of a set of values as (field, sentence) pairs, and the command line, the window's form and the live
controls ask it (a :class:`~cnnviz.errors.ConfigError` carries its field). No Qt, no training code: the trainer, the
session files, the command line and the window's form all sit above this module.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from cnnviz.core import ConvSpec, NetworkConfig
from cnnviz.core.convpool import CHUNK_FLOATS, fused_method
from cnnviz.core.functional import same_padding
from cnnviz.core.inputs import seed_problem
from cnnviz.core.layers import uses_winograd
from cnnviz.core.network import EVAL_BATCH, network_problems
from cnnviz.errors import QT_TRANSLATE_NOOP, ConfigError, format_number, joined, problem
from cnnviz.system import available_memory, format_bytes

SCHEDULES = ("constant", "cosine")

# The named sets of hyperparameters. `lecture` is the original program's, trained by the text's rules; `program`
# the same, trained by the program's own rules where they depart from the text (cnnviz.core.program: dropout of a
# fixed count on the hidden layers but the first, its mask forgotten in the backward pass, pooling ties in
# column-major order); `fast` reaches 99% in 4 epochs (docs/command-line.md, "Presets"): momentum 0.9 makes steps
# ~10x larger at the same learning rate, and the cosine decay to zero ends the run in a well-settled minimum instead
# of bouncing around one.
PRESETS: dict[str, dict] = {
    "lecture": {"lr": 0.01, "momentum": 0.2, "dropout": 0.2, "batch_size": 100, "epochs": 4,
                "lr_schedule": "constant"},
    "program": {"lr": 0.01, "momentum": 0.2, "dropout": 0.2, "batch_size": 100, "epochs": 4,
                "lr_schedule": "constant"},
    "fast": {"lr": 0.05, "momentum": 0.9, "dropout": 0.2, "batch_size": 100, "epochs": 4, "lr_schedule": "cosine"},
}


def rules_of(preset: str) -> str:
    """The network's rules (:class:`cnnviz.core.NetworkConfig`'s ``rules``) that a preset trains by: the
    program's for ``program``, the text's for every other."""
    return "program" if preset == "program" else "lecture"


MAX_CONV_LAYERS = 8  # the most conv layers a run may have on the command line and in the window (its form's rows)
MAX_SEED = 2**31 - 1  # the largest seed the window's seed box holds: the command line takes no more either


# -- the rules: one sentence per problem, "" for none ---------------------------------------------------------------

# The sentences are templates marked for the window's translation (cnnviz.errors.Text); str() is the English.
def _at_least_1(name: str):
    return lambda v: "" if v >= 1 else problem(QT_TRANSLATE_NOOP("problems", "{name} must be at least 1, not {v}"),
                                               name=problem(name), v=v)


def _0_or_more(name: str):
    return lambda v: "" if v >= 0 else problem(QT_TRANSLATE_NOOP("problems", "{name} must be 0 or more, not {v}"),
                                               name=problem(name), v=v)


# A TrainConfig's setting -> its rule, in the order a configuration is checked.
RULES = {
    "epochs": _at_least_1(QT_TRANSLATE_NOOP("problems", "epochs")),
    "batch_size": _at_least_1(QT_TRANSLATE_NOOP("problems", "batch size")),
    "n_probes": _at_least_1(QT_TRANSLATE_NOOP("problems", "n probes")),
    "threads": _at_least_1(QT_TRANSLATE_NOOP("problems", "threads")),
    "eval_every": _0_or_more(QT_TRANSLATE_NOOP("problems", "eval every")),
    "snapshot_every": _0_or_more(QT_TRANSLATE_NOOP("problems", "snapshot every")),
    "lr": lambda v: "" if v > 0 and math.isfinite(v) else problem(
        QT_TRANSLATE_NOOP("problems", "the learning rate must be positive, not {v}"), v=format_number(v)),
    "momentum": lambda v: "" if 0 <= v < 1 else problem(
        QT_TRANSLATE_NOOP("problems", "the momentum must be in [0, 1), not {v}"), v=format_number(v)),
    "lr_schedule": lambda v: "" if v in SCHEDULES else problem(
        QT_TRANSLATE_NOOP("problems", "learning-rate schedule must be one of {names}, not {v}"),
        names=", ".join(SCHEDULES), v=repr(v)),
    "dtype": lambda v: "" if v in ("float32", "float64") else problem(
        QT_TRANSLATE_NOOP("problems", "dtype must be float32 or float64, not {v}"), v=repr(v)),
    "seed": seed_problem,
}


def problems(values: Mapping[str, object]) -> list[tuple[str, str]]:
    """Every problem of the settings in ``values`` as (field, sentence) pairs, the sentence without a capital or
    a full stop (the command line prints it after "cnnviz: ", the form as a sentence under the field). ``values``
    holds any of :class:`TrainConfig`'s settings by name (:data:`RULES`) and of the network's: "conv" (ConvSpecs),
    "fc" (with the class count), "dropout" and "input_shape" (the MNIST image's, if not given), judged by
    :func:`cnnviz.core.network.network_problems` when "conv" is given. The one rule set of a run's configuration:
    :meth:`TrainConfig.check`, the command line, the window's form and the live controls ask it."""
    found = [(name, sentence) for name, rule in RULES.items() if name in values and (sentence := rule(values[name]))]
    if "conv" in values:
        input_shape = values.get("input_shape", NetworkConfig().input_shape)
        network = network_problems(input_shape, values["conv"], values.get("fc"), values.get("dropout"))
        found += network
        judged = {name for name, _ in found}
        if not network and values.get("fc") is not None and not judged & set(DEFAULTS):  # does it fit in memory?
            net = NetworkConfig(input_shape=input_shape, conv=tuple(values["conv"]), fc=tuple(values["fc"]))
            found += memory_problems(net, **{name: values.get(name, default) for name, default in DEFAULTS.items()})
    elif values.get("dropout") is not None:
        found += network_problems((1, 1, 1), (), None, values["dropout"])
    return found


def setting_problem(name: str, value) -> str:
    """What is wrong with ``value`` for the one setting ``name`` (see :func:`problems`), "" if nothing."""
    return next((sentence for _, sentence in problems({name: value})), "")


def check_setting(name: str, value) -> None:
    """ConfigError (its sentence and ``name``) if ``value`` is not a possible value of the setting ``name`` (the
    live controls: a learning rate or a momentum changed during a run)."""
    if sentence := setting_problem(name, value):
        raise ConfigError(sentence, name)


def conv_count_problem(n: int) -> str:
    """The sentence refusing ``n`` conv layers, more than the command line and the window take ("" if fine)."""
    return problem(QT_TRANSLATE_NOOP("problems", "at most {most} conv layers, not {n}"), most=MAX_CONV_LAYERS,
                   n=n) if n > MAX_CONV_LAYERS else ""


def parse_sizes(text: str, example: str = "100,200", *, empty: bool = True) -> tuple[int, ...]:
    """Comma-separated sizes, ``"100, 200"`` -> (100, 200), as the command line's --conv and --fc and the form's
    hidden fc field take them; ConfigError in one sentence otherwise (``example`` shows the form; ``empty``: an
    empty text is no sizes, else refused)."""
    try:
        sizes = tuple(int(v) for v in text.replace(" ", "").split(",") if v)
    except ValueError:
        sizes = None
    if sizes is None or (not sizes and not empty):
        raise ConfigError(problem(QT_TRANSLATE_NOOP("problems", "expected comma-separated integers such as "
                                                    "{example}, not {text}"), example=example, text=repr(text.strip())))
    if any(n < 1 for n in sizes):
        raise ConfigError(problem(QT_TRANSLATE_NOOP("problems", "sizes must be positive, not {text}"),
                                  text=repr(text.strip())))
    return sizes


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a run (saved as JSON in the session file).

    ``network.rules`` follows ``preset`` (:func:`rules_of`), whatever the network was given: the window's form
    and the command line choose the rules by choosing the preset.
    """

    network: NetworkConfig = field(default_factory=NetworkConfig)
    epochs: int = 4
    batch_size: int = 100
    lr: float = 0.01
    momentum: float = 0.2
    lr_schedule: str = "constant"
    seed: int = 0
    dtype: str = "float32"
    eval_every: int = 0  # steps; 0 = only at the end of every epoch
    snapshot_every: int = 100  # steps; 0 = only at the start and the end
    n_probes: int = 16
    threads: int = 2  # worker threads that share each minibatch (see GradientWorkers)
    preset: str = "lecture"

    def __post_init__(self):
        if isinstance(self.network, Mapping):
            object.__setattr__(self, "network", NetworkConfig.from_dict(self.network))
        if self.network.rules != rules_of(self.preset):
            object.__setattr__(self, "network", dataclasses.replace(self.network, rules=rules_of(self.preset)))
        self.check()

    def check(self) -> None:
        """Refuse an impossible value: ConfigError with the sentence and the field of the first of
        :meth:`problems`."""
        for name, sentence in self.problems():
            raise ConfigError(sentence, name)

    def problems(self) -> list[tuple[str, str]]:
        """Every problem of the settings (the network checks its own when it is made), as (field, sentence)."""
        return problems({name: getattr(self, name) for name in RULES})

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping) -> TrainConfig:
        return cls(**d)


def make_config(preset: str = "lecture", *, conv: tuple[int, ...] | None = None, fc: tuple[int, ...] | None = None,
                filter_size: int = 3, padding: str = "same", pooling: str = "max", dropout: float | None = None,
                input_shape: tuple[int, int, int] = (1, 28, 28), **overrides) -> TrainConfig:
    """A configuration from a preset, with any setting overridden (None keeps the preset's)."""
    if preset not in PRESETS:
        raise ConfigError(f"preset must be one of {', '.join(PRESETS)}, not {preset!r}")
    values = {k: v for k, v in PRESETS[preset].items() if k != "dropout"}
    values.update({k: v for k, v in overrides.items() if v is not None})
    network = NetworkConfig(
        input_shape=input_shape,
        conv=tuple(ConvSpec(k, filter_size, padding, pooling) for k in (conv or (32, 64))),
        fc=tuple(fc or (100, 200, 10)),
        dropout=PRESETS[preset]["dropout"] if dropout is None else dropout,
        seed=values.get("seed", 0),
    )
    return TrainConfig(network=network, preset=preset, **values)


# The settings a fork cannot change: those of the network's shape and arithmetic (the parameters must fit), and
# the seed (a fork continues its parent's random generators).
FIXED_IN_FORK = ("conv", "fc", "input_shape", "dtype", "seed")


def _shown(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, tuple) else str(value)


def fork_config(parent: TrainConfig, **changes) -> TrainConfig:
    """The parent's configuration with ``changes`` (TrainConfig's fields, and ``dropout`` of the network;
    None keeps the parent's). A change to the architecture, the dtype or the seed is refused (ConfigError, one
    sentence): the parent's parameters and random generators are what the fork continues."""
    changes = {k: v for k, v in changes.items() if v is not None}
    net = parent.network
    # name: (the parent's value, how a given value compares with it, as shown in a message)
    per_layer = {"filter_size": "size", "padding": "padding", "pooling": "pooling"}
    fixed = {
        "conv": (tuple(c.filters for c in net.conv), lambda v: tuple(getattr(c, "filters", c) for c in v)),
        "fc": (net.fc, lambda v: tuple(int(n) for n in v)),
        "input_shape": (net.input_shape, lambda v: tuple(int(n) for n in v)),
        "dtype": (parent.dtype, str),
        "seed": (parent.seed, int),
    }
    for name, attr in per_layer.items():  # one value for every conv layer
        fixed[name] = (tuple(dict.fromkeys(getattr(c, attr) for c in net.conv)), lambda v: (v,))
    words = {"conv": "conv", "fc": "fc", "dtype": "dtype",  # the options' own names stay as they are
             "input_shape": problem(QT_TRANSLATE_NOOP("problems", "input shape")),
             "seed": problem(QT_TRANSLATE_NOOP("problems", "seed")),
             "filter_size": problem(QT_TRANSLATE_NOOP("problems", "filter size")),
             "padding": problem(QT_TRANSLATE_NOOP("problems", "padding")),
             "pooling": problem(QT_TRANSLATE_NOOP("problems", "pooling"))}
    for name in FIXED_IN_FORK + tuple(per_layer):
        if name not in changes:
            continue
        have, normal = fixed[name]
        want = normal(changes.pop(name))
        if want != have and not (name in per_layer and not net.conv):
            raise ConfigError(problem(QT_TRANSLATE_NOOP("problems", "a fork keeps its parent's {name} ({have}); it "
                                                        "cannot become {want}"),
                                      name=words[name], have=_shown(have), want=_shown(want)))
    if "preset" in changes and changes.pop("preset") != parent.preset:
        raise ConfigError(problem(QT_TRANSLATE_NOOP("problems", "a fork keeps its parent's preset ({preset}): give the "
                                                    "settings to change instead (learning rate, momentum, schedule, "
                                                    "epochs, dropout, batch size)"), preset=parent.preset))
    network = net
    if "dropout" in changes:
        network = dataclasses.replace(net, dropout=changes.pop("dropout"))
    unknown = set(changes) - {f.name for f in dataclasses.fields(TrainConfig)}
    if unknown:
        raise ConfigError(problem(QT_TRANSLATE_NOOP("problems", "a fork cannot change {names}"),
                                  names=", ".join(sorted(unknown))))
    return dataclasses.replace(parent, network=network, **changes)


# -- memory -----------------------------------------------------------------------------------------------------------

# What the memory rule reads of a run's settings, with TrainConfig's defaults for those a form does not give.
DEFAULTS = {f.name: f.default for f in dataclasses.fields(TrainConfig) if f.name in ("batch_size", "threads", "dtype")}
SNAPSHOTS_HELD = 2  # parameter copies a run holds besides its parameters: the snapshot being written, the last one


def _layer_numbers(network: NetworkConfig, item: int) -> list[tuple[str, int, float, float, int]]:
    """Per layer, (its field, its parameters, the numbers of ``item`` bytes an image holds of it in inference and in
    training, the numbers a worker thread holds of it whatever the batch), as the layers allocate them:

    - a conv layer computed with its max pooling (:func:`~cnnviz.core.convpool.fused_method`): the padded input
      ``C Hp Wp``, the pooled maps ``p`` and ``a = f(p)`` (``K h w`` each); in training also ``dE/dp``, the winners
      and ``f'(p)`` (a byte each), Winograd's transformed tiles ``16 C h w`` and, below the first layer, the
      padded input's gradient; a thread's chunk buffers, four of CHUNK_FLOATS numbers at most;
    - a conv layer computed by Winograd whole (:class:`~cnnviz.core.winograd.Winograd3x3`, with P tiles of
      (Hp, Wp) padded input): its buffers ``C (Hp Wp + 4 Hp Wp / 2 + 16 P) + 48 P K``, ``u`` and ``a``; in training
      also the gradients of its tiles and input, ``C (Hp Wp + 3 Hp Wp + 24 P)``, and of ``u`` and ``a``;
    - any other conv layer: the padded input, the im2col matrix ``(C m m + 1) H W``, ``u`` and ``a`` (in training
      twice: their gradients);
    - the fully connected layers, one field "fc": the flattened maps, ``u``, ``a`` and the dropout mask (in
      training twice).
    The first conv layer also counts the batch's images."""
    shapes = network.param_shapes()
    c, h, w = network.input_shape
    out = []
    images = c * h * w
    for l, spec in enumerate(network.conv, 1):
        before, after = same_padding(spec.size) if spec.padding == "same" else (0, 0)
        Hp, Wp = h + before + after, w + before + after
        h, w = Hp - spec.size + 1, Wp - spec.size + 1
        n_params = math.prod(shapes[f"conv{l}.W"]) + spec.filters
        how = fused_method(spec.size, spec.padding, c, spec.filters, h, w) \
            if spec.pooling == "max" and network.rules == "lecture" else None
        maps, first = spec.filters * h * w, images if l == 1 else 0
        if how is not None:
            padded, pooled = c * Hp * Wp, maps // 4
            forward = first + padded + 2 * pooled
            training = forward + pooled + 2 * pooled / item + (4 * c * h * w if how == "winograd" else 0) \
                + (padded if l > 1 else 0)
            out.append((f"conv{l}", n_params, forward, training, 4 * CHUNK_FLOATS))
        elif spec.size == 3 and uses_winograd(3, c, spec.filters):
            th, tw = (h + 1) // 2, (w + 1) // 2
            tiles, padded = th * tw, (2 * th + 2) * (2 * tw + 2)
            forward = first + c * (3 * padded + 16 * tiles) + 48 * tiles * spec.filters + 2 * maps
            out.append((f"conv{l}", n_params, forward, forward + c * (4 * padded + 24 * tiles) + 2 * maps, 0))
        else:
            forward = first + c * Hp * Wp + (c * spec.size * spec.size + 1) * h * w + 2 * maps
            out.append((f"conv{l}", n_params, forward, 2 * forward - first, 0))
        c = spec.filters
        if spec.pooling != "none":
            h, w = h // 2, w // 2
    n_params = sum(math.prod(shape) for name, shape in shapes.items() if name.startswith("fc"))
    fc = c * h * w + 3 * sum(network.fc)
    out.append(("fc", n_params, fc, 2 * fc, 0))
    return out


def memory_needed(network: NetworkConfig, batch_size: int, threads: int, dtype: str, n_images: int = 0
                  ) -> dict[str, int]:
    """The bytes a training run holds at once, by part, computed from the configuration alone (nothing allocated):

    - "parameters": the parameters P (every conv ``F`` and ``b``, every fully connected ``W`` and ``b``), the
      momentum's velocity, the summed gradient, one gradient per worker thread and SNAPSHOTS_HELD snapshot copies,
      ``(3 + threads + 2) P`` numbers, and He initialisation's float64 draw of the largest array (16 bytes a number);
    - "activations": what every layer holds (``_layer_numbers``) for a batch of ``batch_size`` images in training
      or ``threads`` evaluation batches of EVAL_BATCH images (forward only), whichever is more, and each worker
      thread's buffers;
    - "images": ``n_images`` images as the network's float input and as uint8 (the data set, when known).
    """
    item = np.dtype(dtype).itemsize
    layers = _layer_numbers(network, item)
    largest = max(math.prod(shape) for shape in network.param_shapes().values())
    parameters = (3 + threads + SNAPSHOTS_HELD) * sum(layer[1] for layer in layers) * item + 16 * largest
    forward, backward = sum(layer[2] for layer in layers), sum(layer[3] for layer in layers)
    buffers = threads * sum(layer[4] for layer in layers)
    activations = math.ceil(max(batch_size * backward, threads * EVAL_BATCH * forward) + buffers) * item
    return {"parameters": parameters, "activations": activations,
            "images": n_images * math.prod(network.input_shape) * (item + 1)}


def memory_problems(network: NetworkConfig, batch_size: int, threads: int, dtype: str, n_images: int = 0
                    ) -> list[tuple[str, str]]:
    """The run's problem if it needs more memory than the machine has available (:func:`memory_needed`,
    :func:`cnnviz.system.available_memory`), as a (field, sentence) pair in a list (empty if it fits): the sentence
    says how much it needs and for what; the field is the layer that needs the most ("conv1", "fc"), or "data" where
    the images do."""
    parts = memory_needed(network, batch_size, threads, dtype, n_images)
    total, available = sum(parts.values()), available_memory()
    if total <= available:
        return []
    copies = 3 + threads + SNAPSHOTS_HELD
    item = np.dtype(dtype).itemsize
    cost = {field: copies * n + batch_size * training for field, n, _, training, _ in _layer_numbers(network, item)}
    n_in = network.param_shapes()["fc1.W"][1]
    if network.conv and n_in > network.fc[0]:
        # fc1's weights, n_in x fc[0]: the larger factor is the one to change, here the maps the last conv layer leaves
        moved = copies * n_in * network.fc[0]
        cost["fc"] -= moved
        cost[f"conv{len(network.conv)}"] += moved
    layer = max(cost, key=cost.get)
    field = "data" if parts["images"] > max(parts["parameters"], parts["activations"]) else layer
    what = {"parameters": problem(QT_TRANSLATE_NOOP("problems", "parameters, velocity, gradients and snapshots")),
            "activations": problem(QT_TRANSLATE_NOOP("problems", "activations of {n}-image batches"), n=batch_size),
            "images": problem(QT_TRANSLATE_NOOP("problems", "the {n} images"), n=f"{n_images:,}")}
    spent = [problem(QT_TRANSLATE_NOOP("problems", "{what}: {size}"), what=what[part], size=format_bytes(n))
             for part, n in parts.items() if n]
    return [(field, problem(QT_TRANSLATE_NOOP("problems", "this run needs about {total} of memory ({spent}), more "
                                              "than the {available} available"), total=format_bytes(total),
                            spent=joined(spent, "; "),
                            available=format_bytes(available)))]
