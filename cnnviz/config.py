"""The configuration of a run: :class:`TrainConfig` (everything that defines a run, saved as JSON in its session
file), the presets, :func:`make_config` (a preset with settings overridden) and :func:`fork_config` (a parent's
configuration with the changes a fork may make). No Qt, no training code: the trainer, the session files, the
command line and the window's form all sit above this module.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from cnnviz.core import ConvSpec, NetworkConfig
from cnnviz.errors import ConfigError

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
        """Refuse impossible values with one sentence naming the setting."""
        for name in ("epochs", "batch_size", "n_probes", "threads"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name.replace('_', ' ')} must be at least 1, not {getattr(self, name)}")
        for name in ("eval_every", "snapshot_every"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name.replace('_', ' ')} must be 0 or more, not {getattr(self, name)}")
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise ConfigError(f"learning rate must be positive, not {self.lr}")
        if not 0 <= self.momentum < 1:
            raise ConfigError(f"momentum must be in [0, 1), not {self.momentum}")
        if self.lr_schedule not in SCHEDULES:
            raise ConfigError(f"learning-rate schedule must be one of {', '.join(SCHEDULES)}, not {self.lr_schedule!r}")
        if self.dtype not in ("float32", "float64"):
            raise ConfigError(f"dtype must be float32 or float64, not {self.dtype!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) or self.seed < 0:
            raise ConfigError(f"the seed must be a whole number, 0 or more, not {self.seed!r}")

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
    for name in FIXED_IN_FORK + tuple(per_layer):
        if name not in changes:
            continue
        have, normal = fixed[name]
        want = normal(changes.pop(name))
        if want != have and not (name in per_layer and not net.conv):
            raise ConfigError(f"a fork keeps its parent's {name.replace('_', ' ')} ({_shown(have)}); it cannot "
                              f"become {_shown(want)}")
    if "preset" in changes and changes.pop("preset") != parent.preset:
        raise ConfigError(f"a fork keeps its parent's preset ({parent.preset}): give the settings to change instead "
                          "(learning rate, momentum, schedule, epochs, dropout, batch size)")
    network = net
    if "dropout" in changes:
        network = dataclasses.replace(net, dropout=changes.pop("dropout"))
    unknown = set(changes) - {f.name for f in dataclasses.fields(TrainConfig)}
    if unknown:
        raise ConfigError(f"a fork cannot change {', '.join(sorted(unknown))}")
    return dataclasses.replace(parent, network=network, **changes)
