"""The Qt window: the model the views show, the training worker, the main window and its views."""
