"""The training form's data group: which images to train on (the bundled sample, MNIST or another data set in the
user cache, a folder of IDX files), how many of them, and the download of a data set that is not on disk yet.

:class:`DataChoice` is the group; it says what its choice is (:meth:`DataChoice.data_spec`, a
:class:`~cnnviz.options.DataSpec`, the command line's own data choice), what is wrong with it
(:meth:`DataChoice.errors`, by field: "data", "limit_train", "limit_test") and how many training images it gives
(:meth:`DataChoice.training_count`); ``changed`` tells the form to check again.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from cnnviz.data import find_mnist, read_idx
from cnnviz.datasets import dataset, is_downloaded, user_cache_dir
from cnnviz.errors import DataError, sentence
from cnnviz.gui.i18n import translated
from cnnviz.gui.views.fields import form_layout, limit_box, with_error
from cnnviz.options import DataSpec

SAMPLE_TRAIN, SAMPLE_TEST = 2000, 1000  # the bundled sample's images (docs/data.md)
SOURCES = ("sample", "disk", "fashion-mnist", "kmnist", "folder")  # the data choices, in the combo's order
SOURCE_NAMES = {"sample": QT_TRANSLATE_NOOP("DataChoice", "bundled sample (2,000 / 1,000 images)"), "disk": "MNIST",
                "fashion-mnist": "Fashion-MNIST", "kmnist": "KMNIST",
                "folder": QT_TRANSLATE_NOOP("DataChoice", "another folder of IDX files")}  # translated where shown
DATASET_OF = {"disk": "mnist", "fashion-mnist": "fashion-mnist", "kmnist": "kmnist"}  # choice -> cnnviz.datasets


class DataChoice(QGroupBox):
    """The "Data" group of the training form (see the module's docstring)."""

    changed = Signal()
    download_mirrors = None  # the data sets' own mirrors (tests point this at a local server)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Data"))
        self._download = False  # the command line's --download: MNIST is fetched when the run starts
        self._download_failure: tuple[str, str] | None = None  # (choice, sentence) of the last download that failed
        self._running = self._locked = False  # a run goes on; the choice is fixed (a run, or a fork's parent's)
        self.source = QComboBox()
        for key in SOURCES:
            self.source.addItem(self.tr(SOURCE_NAMES[key]), key)
        self.source.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source.setMinimumContentsLength(14)
        self.download_button = QPushButton()  # "Download MNIST…", shown when the chosen data set is not on disk
        self.download_button.clicked.connect(self._download_dataset)
        self.download_dialog = None  # the DownloadDialog while one runs
        self.refresh_sources()
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(self.tr("folder with the four IDX files"))
        self.browse = QToolButton()
        self.browse.setText("…")
        self.browse.setToolTip(self.tr("Choose the folder"))
        self.browse.clicked.connect(self._browse)
        self.limit_train = limit_box(self.tr("Use the first N training images (0: all)"))
        self.limit_test = limit_box(self.tr("Use the first N test images (0: all)"))
        form = form_layout(self)
        form.addRow(self.tr("source"), self.source)
        form.addRow("", self.download_button)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        folder_widget = QWidget()
        folder_widget.setLayout(folder_row)
        self.error_labels: dict[str, QLabel] = {}
        rows = (("data", self.tr("folder"), folder_widget),
                ("limit_train", self.tr("training images"), self.limit_train),
                ("limit_test", self.tr("test images"), self.limit_test))
        for key, label, field in rows:
            widget, self.error_labels[key] = with_error(field)
            form.addRow(label, widget)
        self.source.currentIndexChanged.connect(self._on_source)
        self.folder.textChanged.connect(lambda *_: self.changed.emit())
        for box in (self.limit_train, self.limit_test):
            box.valueChanged.connect(lambda *_: self.changed.emit())

    # -- filling ------------------------------------------------------------------------------------------------

    def set_data(self, data: DataSpec) -> None:
        self._download = data.download
        self.source.blockSignals(True)
        self.folder.blockSignals(True)
        if data.source == "sample":
            key = "sample"
        elif data.source is None:
            key = "disk"
        elif data.source in DATASET_OF.values() and not Path(data.source).is_dir():  # a name, as --data takes
            key = next(k for k, name in DATASET_OF.items() if name == data.source)
        else:
            found = find_mnist_quietly(None)
            key = "disk" if found is not None and Path(data.source) == found else next(
                (k for k, name in DATASET_OF.items() if Path(data.source) == user_cache_dir(name)), "folder")
            self.folder.setText(str(data.source))
        self.source.setCurrentIndex(SOURCES.index(key))
        self.folder.blockSignals(False)
        self.source.blockSignals(False)
        self.limit_train.setValue(data.limit_train or 0)
        self.limit_test.setValue(data.limit_test or 0)
        self._on_source()

    def set_locked(self, running: bool, locked: bool) -> None:
        """Fix the choice (``locked``: a run goes on, or a fork keeps its parent's data); ``running``: no download
        either."""
        self._running, self._locked = running, locked
        self.source.setEnabled(not locked)
        for box in (self.limit_train, self.limit_test):
            box.setEnabled(not locked)
        self.folder.setEnabled(not locked and self.source.currentData() == "folder")
        self.browse.setEnabled(self.folder.isEnabled())
        self.refresh_sources()

    def _on_source(self) -> None:
        key = self.source.currentData()
        self.folder.setEnabled(key == "folder" and not self._locked)
        self.browse.setEnabled(self.folder.isEnabled())
        if key == "disk":
            found = find_mnist_quietly(None)
            self.folder.setText(str(found) if found is not None else "")
            self.folder.setPlaceholderText(self.tr("not found") if found is None else "")
        elif key in DATASET_OF:
            found = is_downloaded(DATASET_OF[key])
            self.folder.setText(str(user_cache_dir(DATASET_OF[key])) if found else "")
            self.folder.setPlaceholderText("" if found else self.tr("not downloaded"))
        elif key == "sample":
            self.folder.setText("")
            self.folder.setPlaceholderText("")
        else:
            self.folder.setPlaceholderText(self.tr("folder with the four IDX files"))
        self.refresh_sources()
        self.changed.emit()

    def refresh_sources(self) -> None:
        """Say which data sets are on disk in the combo, and offer to download the chosen one if it is not."""
        for key, name in DATASET_OF.items():
            found = (find_mnist_quietly(None) is not None) if key == "disk" else is_downloaded(name)
            title = SOURCE_NAMES[key]
            self.source.setItemText(SOURCES.index(key), (self.tr("{title} (on disk)") if found else
                                                         self.tr("{title} (download…)")).format(title=title))
        key = self.source.currentData()
        missing = key in DATASET_OF and not (
            find_mnist_quietly(None) is not None if key == "disk" else is_downloaded(DATASET_OF[key]))
        if missing:
            d = dataset(DATASET_OF[key])
            self.download_button.setText(self.tr("Download {title}…").format(title=d.title))
            self.download_button.setToolTip(self.tr("About {mb:.0f} MB into {folder}, each file checked ({licence})")
                                            .format(mb=d.download_bytes / 1e6, folder=user_cache_dir(d.name),
                                                    licence=d.licence))
        self.download_button.setVisible(missing)
        self.download_button.setEnabled(missing and not self._running and self.download_dialog is None)

    def _download_dataset(self) -> None:
        """Download the chosen data set into the user cache, in a dialog that can be cancelled."""
        from cnnviz.gui.download import DownloadDialog  # here: only a download needs it

        key = self.source.currentData()
        if key not in DATASET_OF or self.download_dialog is not None:
            return
        self.download_dialog = dialog = DownloadDialog(DATASET_OF[key], mirrors=self.download_mirrors, parent=self)
        dialog.failed.connect(lambda text: setattr(self, "_download_failure", (key, sentence(text))))
        dialog.finished.connect(self._download_ended)
        self.download_button.setEnabled(False)
        dialog.start()

    def _download_ended(self, *_) -> None:
        self.download_dialog.deleteLater()
        self.download_dialog = None
        self._on_source()

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Folder of MNIST IDX files"), self.folder.text())
        if path:
            self.folder.setText(path)

    # -- reading ------------------------------------------------------------------------------------------------

    def data_spec(self) -> DataSpec:
        key = self.source.currentData()
        source = "sample" if key == "sample" else (self.folder.text().strip() or None)
        return DataSpec(source, self.limit_train.value() or None, self.limit_test.value() or None,
                        self._download and key == "disk")

    def training_count(self) -> int | None:
        """How many training images the data choice gives (None: not known without reading the data)."""
        key = self.source.currentData()
        n = self.limit_train.value() or None
        if key == "sample":
            return n or SAMPLE_TRAIN
        if n is not None:
            return n
        folder = self.folder.text().strip()
        return _label_count(folder) if folder else None

    def errors(self) -> dict[str, str]:
        """The data choice's problem ("data") and the limits' ("limit_train", "limit_test"), all at once."""
        errors: dict[str, str] = {}
        key = self.source.currentData()
        if key == "disk":
            try:
                found = find_mnist(None)
            except DataError as exc:
                errors["data"] = sentence(translated(exc.args[0]))
            else:
                if found is None and not self._download:
                    errors["data"] = self.tr("MNIST is not on this computer yet: press Download MNIST…, set "
                                             "CNNVIZ_DATA, or choose the sample.")
        elif key in DATASET_OF and not is_downloaded(DATASET_OF[key]):
            title = dataset(DATASET_OF[key]).title
            failure = self._download_failure
            errors["data"] = (self.tr("{failure} Press Download {title}… to try again, or choose the sample.")
                              if failure is not None and failure[0] == key else
                              self.tr("{title} is not on this computer yet: press Download {title}…, or choose the "
                                      "sample.")).format(failure=failure[1] if failure else "", title=title)
        elif key == "folder":
            text = self.folder.text().strip()
            if not text:
                errors["data"] = self.tr("Choose the folder that holds the four MNIST IDX files.")
            else:
                try:
                    find_mnist(text)
                except DataError as exc:
                    errors["data"] = sentence(translated(exc.args[0]))
        for name, box, train, n, in_sample, in_folder in (
                ("limit_train", self.limit_train, True, SAMPLE_TRAIN,
                 self.tr("The sample has {n:,} training images, not {asked:,}."),
                 self.tr("The folder has {n:,} training images, not {asked:,}.")),
                ("limit_test", self.limit_test, False, SAMPLE_TEST,
                 self.tr("The sample has {n:,} test images, not {asked:,}."),
                 self.tr("The folder has {n:,} test images, not {asked:,}."))):
            if key == "sample" and box.value() > n:
                errors[name] = in_sample.format(n=n, asked=box.value())
            elif key != "sample" and "data" not in errors and box.value():
                available = _label_count(self.folder.text().strip(), train)
                if available is not None and box.value() > available:
                    errors[name] = in_folder.format(n=available, asked=box.value())
        return errors


@lru_cache(maxsize=16)
def _label_count_of(path: str, mtime: float) -> int | None:
    try:
        return len(read_idx(path))
    except DataError:
        return None


def _label_count(folder: str, train: bool = True) -> int | None:
    """How many labels the folder's training (or test) label file holds (None: no readable file); it reads the
    small label file only (60 KB for MNIST), once per file version."""
    stem = "train-labels" if train else "t10k-labels"
    try:
        files = sorted(p for p in Path(folder).glob(f"{stem}[-.]idx1-ubyte*") if p.is_file())
        return _label_count_of(str(files[0]), files[0].stat().st_mtime) if files else None
    except OSError:
        return None


def find_mnist_quietly(path) -> Path | None:
    try:
        return find_mnist(path)
    except DataError:
        return None
