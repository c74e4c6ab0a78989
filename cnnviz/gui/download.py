"""Downloading a data set from the window: a dialog with a progress bar and a Cancel button.

The download (:func:`cnnviz.datasets.download_dataset`: mirrors in order, every file checked before it is renamed
into place) runs in a thread that never touches Qt: it reports into a small shared state that the dialog reads
from a timer on the GUI thread (the trainer's worker does the same with its queue). Cancel asks the thread to stop
after its current chunk of 64 KB; pooch then removes the temporary file it was fetching into, so a cancelled download
leaves no partial file (the files that were complete stay: they are checked again, not fetched again, next time).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from cnnviz.data import DataError
from cnnviz.datasets import DownloadCancelled, dataset, download_dataset, import_downloader, user_cache_dir
from cnnviz.errors import QT_TRANSLATE_NOOP, Text
from cnnviz.gui.i18n import translated

POLL_MS = 50  # how often the dialog reads the thread's progress
STEPS = 1000  # the progress bar's range
QUIT_WAIT = 5  # seconds the application waits at exit for a download to stop and remove its partial file


def megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


class Transfer:
    """The download thread's side, without Qt: what it has fetched so far and how it ended, behind a lock. The
    thread holds this and never the dialog: a thread that held the dialog (its bound method as the target) let go
    of it when it ended, and if that was the last reference, a QWidget was deleted off the GUI thread."""

    def __init__(self, name: str, title: str, dest: Path, mirrors: Sequence[str] | None):
        self.name, self.title, self.dest, self.mirrors = name, title, dest, mirrors
        self.cancel = threading.Event()
        self._lock = threading.Lock()
        self._state: tuple[str, int, int] = ("", 0, 0)  # file, bytes done, bytes in all (0: unknown)
        self._outcome: tuple[str, str] | None = None  # ("done", dir) | ("failed", sentence) | ("cancelled", "")

    def read(self) -> tuple[tuple[str, int, int], tuple[str, str] | None]:
        """The progress (file, bytes done, bytes in all) and the outcome (None while it runs)."""
        with self._lock:
            return self._state, self._outcome

    def run(self) -> None:
        """In the download thread."""
        try:
            path = download_dataset(self.name, self.dest, mirrors=self.mirrors, progress=False,
                                    on_progress=self._progress, cancelled=self.cancel.is_set)
            outcome = ("done", str(path))
        except DownloadCancelled:
            outcome = ("cancelled", "")
        except DataError as exc:
            outcome = ("failed", exc.args[0])  # a Text: translated on the GUI thread
        except Exception as exc:  # noqa: BLE001 (a bug must reach the user as a message, not vanish with the thread)
            outcome = ("failed", Text("DownloadDialog", QT_TRANSLATE_NOOP("DownloadDialog", "The download of {title} "
                                                                          "failed ({why})."),
                                      title=self.title, why=f"{type(exc).__name__}: {exc}"))
        with self._lock:
            self._outcome = outcome

    def _progress(self, name: str, done: int, total: int) -> None:
        with self._lock:
            self._state = (name, done, total)


class DownloadDialog(QDialog):
    """Downloads the data set ``name`` into ``dest`` (default its user cache directory) when :meth:`start` is
    called; :attr:`downloaded` (the directory) or :attr:`failed` (one sentence) when it ends, :attr:`cancelled`
    when the user cancelled it and the thread has let go of its files. The dialog closes itself in every case."""

    downloaded = Signal(str)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, name: str, dest: str | Path | None = None, *, mirrors: Sequence[str] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.dataset = dataset(name)
        self.dest = Path(dest) if dest is not None else user_cache_dir(name)
        self.mirrors = mirrors
        self.setWindowTitle(self.tr("Download {name}").format(name=self.dataset.title))
        self.setModal(True)
        self.label = QLabel(self.tr("Downloading {name} (about {size}) into {folder}").format(
            name=self.dataset.title, size=megabytes(self.dataset.download_bytes), folder=self.dest))
        self.label.setWordWrap(True)
        self.file_label = QLabel(self.tr("connecting…"))
        self.bar = QProgressBar()
        self.bar.setRange(0, STEPS)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        for w in (self.label, self.file_label, self.bar, self.buttons):
            layout.addWidget(w)
        self.setMinimumWidth(420)
        self.error: str | None = None
        self.result_dir: Path | None = None
        self._transfer = Transfer(self.dataset.name, self.dataset.title, self.dest, mirrors)
        self._thread: threading.Thread | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        weights = [f.gz_size or f.size for f in self.dataset.files]
        self._before = dict(zip((f.name for f in self.dataset.files),
                                (sum(weights[:i]) for i in range(len(weights)))))  # bytes of the files before
        self._weight = dict(zip((f.name for f in self.dataset.files), weights))
        self._total = sum(weights)
        app = QCoreApplication.instance()
        if app is not None:  # quitting mid-download: stop the thread, so that it removes its partial file
            app.aboutToQuit.connect(self._on_quit)

    # -- the GUI thread -----------------------------------------------------------------------------------------

    def start(self) -> None:
        """Show the dialog and start the download."""
        import_downloader()
        self._thread = threading.Thread(target=self._transfer.run, name="cnnviz-download", daemon=True)
        self._thread.start()
        self._timer.start()
        self.open()

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def cancel(self) -> None:
        """Ask the download to stop; the dialog closes when the thread has removed its partial file."""
        if self._thread is None or not self.running():
            self.reject()
            return
        self._transfer.cancel.set()
        self.file_label.setText(self.tr("cancelling…"))
        self.buttons.setEnabled(False)

    def _on_quit(self) -> None:
        if self.running():
            self._transfer.cancel.set()
            self._thread.join(QUIT_WAIT)

    def reject(self) -> None:  # Escape and the window's close button cancel too
        if self.running():
            self.cancel()
        else:
            super().reject()

    def fraction(self) -> float:
        """How much of the download is done, 0..1, as the bar shows it."""
        return self.bar.value() / STEPS

    def _poll(self) -> None:
        (name, done, total), outcome = self._transfer.read()
        if name:
            weight = self._weight.get(name, total)
            part = min(done / total, 1.0) if total else 0.0
            self.bar.setValue(round(STEPS * (self._before.get(name, 0) + part * weight) / self._total))
            shown = self.tr("{done} of {total}").format(done=megabytes(done), total=megabytes(total)) if total \
                else megabytes(done)
            if not self._transfer.cancel.is_set():
                self.file_label.setText(f"{name}: {shown}")
        if outcome is None:
            return
        self._timer.stop()
        kind, text = outcome
        if kind == "done":
            self.result_dir = Path(text)
            self.bar.setValue(STEPS)
            self.downloaded.emit(text)
            self.accept()
        elif kind == "failed":
            self.error = translated(text)
            self.failed.emit(self.error)
            super().reject()
        else:
            self.cancelled.emit()
            super().reject()
