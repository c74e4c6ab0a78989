"""The window's entry point: ``cnnviz [SESSION.h5 [MORE.h5 ...]] [options]`` (its options:
:func:`build_parser`, the workspace's)."""

from __future__ import annotations

import gc
import signal
import sys
from collections.abc import Sequence

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from cnnviz.gui import i18n
from cnnviz.gui.app import APPLICATION, ORGANISATION, MainWindow, app_icon, settings
from cnnviz.gui.memory import given_options
from cnnviz.gui.views.common import configure_pyqtgraph
from cnnviz.gui.workspace import build_parser
from cnnviz.options import USER_ERRORS, UsageError, config_from_args, report


def main(argv: Sequence[str] | None = None) -> int:
    """``cnnviz [SESSION.h5 [MORE.h5 ...]] [options]``: open the window (on a saved session, the others compared
    with it; with ``--start`` begin training at once)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        args.given = given_options(build_parser(), argv)  # remembered settings yield to these
        config_from_args(args)  # a bad option is refused before the window opens
        if args.session is not None:
            if args.start:
                raise UsageError("cnnviz: --start trains a new run; it does not go with a session to replay")
            from cnnviz.session import SessionReader  # noqa: PLC0415

            SessionReader(args.session).close()  # an unreadable file is refused before the window opens
    except USER_ERRORS as exc:
        return report(exc)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setDesktopFileName("cnnviz")  # resources/cnnviz.desktop, once installed: the task bar's icon and name
    app.setWindowIcon(app_icon())
    # Python's cycle collector runs on whichever thread allocates; Qt objects it frees on the trainer's or a
    # download's thread deadlock or crash Qt. pyqtgraph's collector runs it on the GUI thread only, every second.
    collecting = gc.isenabled()
    app.garbage_collector = GarbageCollector(interval=1.0)
    configure_pyqtgraph()
    translated = i18n.start(args.lang, settings())  # before the first widget
    window = MainWindow(args)
    window.show()
    if not translated and i18n.tell_no_font(args.lang, settings()):
        window.tell_no_japanese_font()
    if args.start:
        QTimer.singleShot(0, window.start_run)
    elif args.session is not None:
        window.open_session(args.session)
        for path in args.compare:  # compared with the first; one that cannot be read: its message, the first stays
            window.workspace.compare(path)
    # SIGTERM and Ctrl-C stop a run as they do on the command line, then close the window (see on_signal). Python
    # runs signal handlers only when it has control: a timer gives it.
    handlers = {sig: signal.signal(sig, lambda *_: QTimer.singleShot(0, lambda: on_signal(window)))
                for sig in (signal.SIGTERM, signal.SIGINT)}
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(200)
    try:
        return app.exec()
    finally:  # the process as main() found it: the handlers (whose closures hold the window) and the collector
        wake.stop()
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        app.garbage_collector.timer.stop()
        if collecting:
            gc.enable()


def on_signal(window: MainWindow) -> None:
    """SIGTERM or Ctrl-C: a run that goes on stops as the command line's does, after its step with a final snapshot
    and evaluation (its session "stopped"), and the window closes once the run has ended; without a run, or at a
    second signal while it stops, the window closes at once (as its close button does: no final evaluation)."""
    live = window.workspace.live
    if live.state in ("running", "paused"):
        live.finished.connect(lambda _status: window.close())
        window.workspace.stop()
    else:
        window.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
