"""The lecture's CNN in NumPy (no Qt, no I/O): ``from cnnviz.core import correlate, NetworkConfig, Network``."""

from cnnviz.core.functional import correlate, cross_entropy, log_softmax, softmax
from cnnviz.core.network import ConvSpec, ConvTrace, FCTrace, Network, NetworkConfig, Trace
from cnnviz.core.optim import MomentumSGD

__all__ = [
    "ConvSpec", "ConvTrace", "FCTrace", "MomentumSGD", "Network", "NetworkConfig", "Trace",
    "correlate", "cross_entropy", "log_softmax", "softmax",
]
