"""Test-wide setup: Qt runs headless, the window's settings never touch the user's, a test leaves no widget behind,
and a pytest-xdist worker that crashes as it exits fails the run.

``QT_QPA_PLATFORM=offscreen`` must be set before anything imports Qt; ``XDG_CONFIG_HOME`` points QSettings
(the window's layout memory) at a temporary directory, and every test gets a fresh one of its own;
``CNNVIZ_SESSIONS`` sends the runs that name no session file to a temporary directory, not the checkout's sessions/.
"""

import atexit
import gc
import os
import shutil
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="cnnviz-test-config-")
os.environ["CNNVIZ_SESSIONS"] = tempfile.mkdtemp(prefix="cnnviz-test-sessions-")
atexit.register(shutil.rmtree, os.environ["CNNVIZ_SESSIONS"], True)

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


_WORKERS = []  # pytest-xdist's worker processes (their execnet gateways), where `make test` runs them


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_newgateway(gateway):
    _WORKERS.append(gateway)


@pytest.hookimpl(wrapper=True)
def pytest_sessionfinish(session):
    """A worker process that did not end with status 0 fails the run. pytest-xdist reads a worker's results before
    the worker exits and ignores its exit status: a crash at the interpreter's exit (status 139) would pass."""
    result = yield  # pytest-xdist has stopped its workers and waited for them
    for gateway in _WORKERS:
        status = getattr(getattr(gateway._io, "popen", None), "returncode", None)
        if status:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
            session.config.get_terminal_writer().line(f"pytest-xdist's worker {gateway.id} ended with status "
                                                      f"{status} after its tests (a negative status: that signal)",
                                                      red=True)
    return result


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Whether the test itself failed, for the fixture below (its traceback keeps what the test's frames held)."""
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


def _application():
    """The QApplication, or None (Qt not loaded, or no application made yet)."""
    if "PySide6.QtWidgets" not in sys.modules:
        return None
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    return app if isinstance(app, QApplication) else None


@pytest.fixture(scope="session", autouse=True)
def _collected_at_the_end():
    """Every test's collection ends by freezing what survived it (``gc.freeze``): the modules, the session's
    fixtures, pytest's reports. A full collection scanned all of them again after every test (over 100,000 objects,
    0.1 s a test on a loaded 2-core machine: a quarter of the suite's time); now it scans what the test made. What a
    frozen object later leaves as a cycle is collected here, on the main thread, once the session's fixtures are
    gone."""
    yield
    gc.unfreeze()
    gc.collect()


@pytest.fixture(autouse=True)
def _qt_objects_die_on_the_main_thread_and_with_their_test(request):
    """Where Qt is loaded, Python's cycle collector does not run during a test, and runs on the main thread after
    it; then a top-level widget (window, dialog, menu) that the test made and that is still alive fails the test
    (one that passed: a failure's traceback keeps what its frames held).

    The collector runs on whichever thread allocates: it would free the Qt objects of a test's garbage cycles on a
    trainer's, a download's or the levels' thread, where deleting them crashes or deadlocks Qt. The window keeps it
    to the GUI thread the same way (:func:`cnnviz.gui.main.main` installs pyqtgraph's GarbageCollector); tests
    build their windows without main(). pytest-qt has closed the widgets given to ``qtbot.addWidget`` and asked for
    their deletion before this runs; the test's fixture values are let go first, as pytest would just after (a view
    that a fixture gave the test keeps its plot menus alive), and the collection frees pyqtgraph's items, which hold
    their menus in reference cycles."""
    qt = "PySide6.QtCore" in sys.modules
    if qt:
        gc.disable()
    app = _application()
    before = set(app.topLevelWidgets()) if app is not None else set()
    yield
    request.node.funcargs.clear()
    app = _application()
    try:
        if app is not None:
            from PySide6.QtCore import QEvent

            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
        gc.freeze()  # what outlived the test is not scanned again by the next one's collection (see below)
    finally:
        if qt:
            gc.enable()
    if app is not None and not request.node.stash.get(_FAILED, False):
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        left = set(app.topLevelWidgets()) - before
        if left:
            names = sorted(f"{type(w).__name__} {w.windowTitle() or w.objectName()!r}" for w in left)
            pytest.fail(f"{len(left)} top-level widgets outlived the test: {', '.join(names[:10])}", pytrace=False)
