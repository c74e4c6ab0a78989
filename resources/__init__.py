"""cnnviz's resources (the MNIST sample and its licence note, the example session, the icon, the desktop entry).

This folder is the package ``cnnviz.resources`` (pyproject.toml maps it), so that a wheel carries it; read it with
:func:`cnnviz.data.resources_dir` (``importlib.resources``), never by a path relative to the source.
"""
