"""cnnviz: watch a convolutional neural network learn, and look inside it."""

__version__ = "0.1.0"
