"""The views that look inside the network: one small widget each, all created as ``View(model, parent=None)``.

- :class:`~cnnviz.gui.views.filters.FiltersView`: the learned conv filters of every layer.
- :class:`~cnnviz.gui.views.feature_maps.FeatureMapsView`: one image's maps u, a and p in every conv layer.
- :class:`~cnnviz.gui.views.pooling.PoolingView`: max pooling's 2x2 blocks and their winners (figure 7).
- :class:`~cnnviz.gui.views.predictions.PredictionsView`: test images with their predictions.

Shared helpers (colour maps, levels, mosaics, hover, the image chooser) are in :mod:`.common`.
"""
