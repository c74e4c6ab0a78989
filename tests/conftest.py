"""Test-wide setup: Qt runs headless, and the window's settings never touch the user's.

``QT_QPA_PLATFORM=offscreen`` must be set before anything imports Qt; ``XDG_CONFIG_HOME`` points QSettings
(the window's layout memory) at a temporary directory, and every test gets a fresh one of its own.
"""

import gc
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="cnnviz-test-config-")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path_factory):
    """A fresh settings directory per test (when Qt is in use)."""
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QSettings

        path = str(tmp_path_factory.mktemp("qsettings"))
        for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, path)
    yield


@pytest.fixture(autouse=True, scope="session")
def _no_collection_on_other_threads():
    """Python's cycle collector runs on whichever thread allocates. Qt objects of a finished test that it frees on
    a trainer's or a download's thread deadlock or crash Qt, so, as the window does (pyqtgraph's GarbageCollector),
    the tests collect on the main thread only: after each test."""
    gc.disable()
    yield
    # Everything left, collected here while the QApplication still exists and its deferred deletions run, not
    # in the interpreter's shutdown, where Qt objects freed in an arbitrary order segfaulted the exit.
    gc.collect()
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtCore import QCoreApplication, QEvent
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()
            gc.collect()
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread():
    yield
    gc.collect(1)  # the young generations: cheap; older cycles wait for the end of the session


_exit_status = 0


def pytest_sessionfinish(session, exitstatus):
    global _exit_status
    _exit_status = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Leave without the interpreter's shutdown once everything is reported: Qt objects that pyqtgraph and
    PySide free there, in an arbitrary order, segfaulted the exit after every test had passed."""
    if "PySide6.QtCore" in sys.modules:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status)
