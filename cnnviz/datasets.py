"""The data sets cnnviz can download and train on: MNIST, Fashion-MNIST and KMNIST, their files, mirrors,
checksums and class names, and the downloader (no Qt here; the window's download dialog runs it in a thread).

All three are four IDX files of 28x28 grey images with labels 0..9 (60,000 training and 10,000 test images), so
they load the same way (:func:`cnnviz.data.load_mnist_dir`); what differs is what the labels mean:
:attr:`Dataset.class_names` (``"0"`` .. ``"9"`` for MNIST, "T-shirt/top" .. "Ankle boot" for Fashion-MNIST, the
hiragana お .. を for KMNIST) and :attr:`Dataset.short_names` for captions where space is short.

Names on the command line (``--data mnist``; ``cnnviz download --dataset kmnist``) mean the copy in the user cache,
``user_cache_dir(name)`` (e.g. ``~/.cache/cnnviz/fashion-mnist``). A directory of IDX files says what its classes
are called by a ``class-names.txt`` (one name a line, ten lines, UTF-8; the downloader writes it for Fashion-MNIST
and KMNIST), else by its test labels file (recognised by checksum), else its classes are the digits.

Downloads go through pooch's HTTP downloader (progress, timeouts), for every file from the mirrors in turn, each into
a temporary file beside the destination (:func:`cnnviz.files.temporary_path`), given its name only when it checks
out and never over a file (:func:`cnnviz.files.publish`): the SHA-256 of the published ``.gz``, where known
(Fashion-MNIST and KMNIST: each has one origin, whose files TensorFlow Datasets' checksum lists record), and the
size and, where known, the SHA-256 of the decompressed content (MNIST: the gzip wrappers differ between good copies).
The temporary file is removed whatever ends a download: a failed check, a network error, a cancel. A download never
removes or replaces a file it did not write: a folder holding IDX files of another data set, or other contents, is
refused.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from cnnviz.errors import QT_TRANSLATE_NOOP, DataError, Text, joined
from cnnviz.files import publish, temporary_path

__all__ = [
    "CLASS_NAMES_FILE",
    "DATASETS",
    "DataSource",
    "DIGITS",
    "MIRRORS",
    "MNIST_FILES",
    "DataFile",
    "Dataset",
    "DownloadCancelled",
    "class_names_for_source",
    "class_names_of",
    "dataset",
    "download_dataset",
    "is_downloaded",
    "latin_names",
    "open_maybe_gzipped",
    "short_names",
    "user_cache_dir",
]

DIGITS: tuple[str, ...] = tuple("0123456789")  # MNIST's class names

# MNIST's .gz file name -> (sha256 of the decompressed content, decompressed size in bytes), from
# shared/data/mnist/SOURCES.md. The .gz bytes differ between good copies, so they are not checked.
MNIST_FILES: dict[str, tuple[str, int]] = {
    "train-images-idx3-ubyte.gz":
        ("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 16 + 60000 * 28 * 28),
    "train-labels-idx1-ubyte.gz":
        ("65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 8 + 60000),
    "t10k-images-idx3-ubyte.gz":
        ("0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 16 + 10000 * 28 * 28),
    "t10k-labels-idx1-ubyte.gz":
        ("ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 8 + 10000),
}

MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)

CLASS_NAMES_FILE = "class-names.txt"
CHUNK = 1 << 16  # bytes pooch reads from the network at a time (a cancel is seen within one chunk)
TIMEOUT = 30  # seconds without an answer before a mirror is given up


@dataclass(frozen=True)
class DataSource:
    """Where a run's images came from, as its session records it (``RunStart.data_source``, ``MNIST.source``): the
    bundled sample (``directory`` None, with its image counts) or a directory of IDX files. :meth:`describe` writes
    it, :meth:`parse` reads a recorded one back; :attr:`spec` is what :func:`cnnviz.data.load_data` takes."""

    directory: str | None = None
    n_train: int = 0
    n_test: int = 0

    @classmethod
    def sample(cls, n_train: int, n_test: int) -> DataSource:
        return cls(None, n_train, n_test)

    @classmethod
    def parse(cls, text: str) -> DataSource:
        """The source a recorded ``data_source`` names: "bundled sample (2000 train / 1000 test)", or a directory."""
        if not text.startswith(_SAMPLE):
            return cls(text)
        counts = re.search(r"\((\d+) train / (\d+) test\)", text)
        return cls.sample(*(map(int, counts.groups()) if counts else (0, 0)))

    @classmethod
    def recorded(cls, source: str, path: str | None) -> DataSource:
        """The source a session records: its ``data_source`` text and ``data_path`` (the directory made absolute
        when the run was made, None for the sample), the path winning where there is one."""
        parsed = cls.parse(source)
        return parsed if path is None or parsed.is_sample else cls(path)

    @property
    def is_sample(self) -> bool:
        return self.directory is None

    @property
    def spec(self) -> str:
        """``--data``'s value for it: "sample", or the directory."""
        return "sample" if self.directory is None else self.directory

    def describe(self) -> str:
        return f"{_SAMPLE} ({self.n_train} train / {self.n_test} test)" if self.directory is None else self.directory


_SAMPLE = "bundled sample"


@dataclass(frozen=True)
class DataFile:
    """One file to download: its name, the size of its decompressed content in bytes, and the SHA-256 of that
    content and/or of the ``.gz`` file as published (at least one of the two)."""

    name: str
    size: int
    content_sha256: str | None = None
    gz_sha256: str | None = None
    gz_size: int | None = None  # bytes of the published .gz, for the progress total when a server gives none


@dataclass(frozen=True)
class Dataset:
    """A downloadable data set of MNIST's format."""

    name: str  # as on the command line: "fashion-mnist"
    title: str  # for people: "Fashion-MNIST"
    files: tuple[DataFile, ...]
    mirrors: tuple[str, ...]
    class_names: tuple[str, ...]
    short_names: tuple[str, ...]  # at most ~7 characters: captions and the probability bars' axis
    licence: str
    latin_names: tuple[str, ...] | None = None  # for a screen without a font for the names (KMNIST: romaji)

    @property
    def download_bytes(self) -> int:
        """About how many bytes a download fetches (the .gz files)."""
        return sum(f.gz_size or f.size for f in self.files)


def _sizes(n_train: int, n_test: int, side: int = 28) -> dict[str, int]:
    """Decompressed sizes of the four IDX files: a 16-byte header and N x side x side pixels; 8 bytes and N."""
    return {"train-images-idx3-ubyte.gz": 16 + n_train * side * side, "train-labels-idx1-ubyte.gz": 8 + n_train,
            "t10k-images-idx3-ubyte.gz": 16 + n_test * side * side, "t10k-labels-idx1-ubyte.gz": 8 + n_test}


_SIZES = _sizes(60000, 10000)


def _published(gz: dict[str, tuple[int, str]]) -> tuple[DataFile, ...]:
    """The four files of a data set of MNIST's size published as ``.gz`` files: {name: (gz bytes, gz SHA-256)}."""
    return tuple(DataFile(name, _SIZES[name], gz_size=size, gz_sha256=sha) for name, (size, sha) in gz.items())


MNIST_DATASET = Dataset(
    name="mnist", title="MNIST",
    files=tuple(DataFile(name, size, content_sha256=sha) for name, (sha, size) in MNIST_FILES.items()),
    mirrors=MIRRORS, class_names=DIGITS, short_names=DIGITS,
    licence="Yann LeCun, Corinna Cortes, Christopher J.C. Burges; CC BY-SA 3.0")

# The .gz checksums and sizes: TensorFlow Datasets, tensorflow_datasets/url_checksums/fashion_mnist.txt (the
# files of the S3 origin that the Fashion-MNIST README links to; the README's MD5s are of the same files).
FASHION_MNIST = Dataset(
    name="fashion-mnist", title="Fashion-MNIST",
    files=_published({
        "train-images-idx3-ubyte.gz": (26421880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
        "train-labels-idx1-ubyte.gz": (29515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
        "t10k-images-idx3-ubyte.gz": (4422102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
        "t10k-labels-idx1-ubyte.gz": (5148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
    }),
    mirrors=("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
             "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
    class_names=("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                 "Ankle boot"),
    short_names=("T-shirt", "Trouser", "Pullovr", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Boot"),
    licence="Zalando SE (Han Xiao, Kashif Rasul, Roland Vollgraf); MIT")

# The .gz checksums and sizes: TensorFlow Datasets, tensorflow_datasets/url_checksums/kmnist.txt (CODH's files).
KMNIST = Dataset(
    name="kmnist", title="KMNIST",
    files=_published({
        "train-images-idx3-ubyte.gz": (18165135, "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4"),
        "train-labels-idx1-ubyte.gz": (29497, "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17"),
        "t10k-images-idx3-ubyte.gz": (3041136, "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5"),
        "t10k-labels-idx1-ubyte.gz": (5120, "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c"),
    }),
    mirrors=("https://codh.rois.ac.jp/kmnist/dataset/kmnist/", "http://codh.rois.ac.jp/kmnist/dataset/kmnist/"),
    class_names=tuple("おきすつなはまやれを"),
    short_names=tuple("おきすつなはまやれを"),
    licence="KMNIST Dataset (created by CODH), adapted from Kuzushiji Dataset (created by NIJL and others), "
            "doi:10.20676/00000341; CC BY-SA 4.0",
    latin_names=("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"))

DATASETS: dict[str, Dataset] = {d.name: d for d in (MNIST_DATASET, FASHION_MNIST, KMNIST)}


def open_maybe_gzipped(path: Path):
    """Open a file for reading, decompressing it if it starts with the gzip magic bytes 1f 8b."""
    with open(path, "rb") as f:
        gzipped = f.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else open(path, "rb")


class DownloadCancelled(Exception):
    """The user cancelled a download; nothing partial was left behind."""


def dataset(name: str) -> Dataset:
    """The data set called ``name``; DataError in one sentence for an unknown name."""
    try:
        return DATASETS[name]
    except KeyError:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "There is no data set called {name}: choose one of "
                                               "{names}."), name=repr(name), names=", ".join(DATASETS)) from None


def user_cache_dir(name: str = "mnist") -> Path:
    """Where the data set ``name`` is downloaded to, e.g. ``~/.cache/cnnviz/kmnist``."""
    return platformdirs.user_cache_path("cnnviz") / dataset(name).name


def is_downloaded(name: str, directory: str | Path | None = None) -> bool:
    """Whether the four files of ``name`` are in ``directory`` (default its user cache directory); only their
    presence is checked, as :func:`cnnviz.data.find_mnist` does."""
    directory = Path(directory) if directory is not None else user_cache_dir(name)
    return all((directory / f.name).is_file() for f in dataset(name).files)


# -- class names -------------------------------------------------------------------------------------------------

def class_names_of(directory: str | Path) -> tuple[str, ...]:
    """What the labels 0..9 of the IDX files in ``directory`` are called: its ``class-names.txt`` (ten lines),
    else the names of the data set whose test labels file it holds (recognised by checksum), else the digits.
    DataError in one sentence for a ``class-names.txt`` that is not ten non-empty lines of UTF-8."""
    directory = Path(directory)
    listed = directory / CLASS_NAMES_FILE
    if listed.is_file():
        try:
            names = tuple(line.strip() for line in listed.read_text(encoding="utf-8").splitlines() if line.strip())
        except (OSError, UnicodeDecodeError) as e:
            raise DataError.said(QT_TRANSLATE_NOOP("Data", "{file} cannot be read as UTF-8 text ({why})."),
                                 file=listed, why=e) from None
        if len(names) != 10:
            raise DataError.said(QT_TRANSLATE_NOOP("Data", "{file} has {n} class names; it needs ten, one a line, "
                                                   "for labels 0..9."), file=listed, n=len(names))
        return names
    recognised = _recognise(directory)
    return recognised.class_names if recognised is not None else DIGITS


def _recognise(directory: Path) -> Dataset | None:
    """The data set whose test labels file (a few KB) is in ``directory``, by the checksum of its bytes or of its
    decompressed content; None if none is."""
    name = "t10k-labels-idx1-ubyte"
    path = next((p for p in (directory / f"{name}.gz", directory / name) if p.is_file()), None)
    if path is None:
        return None
    try:
        raw = path.read_bytes()
        content = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    except (OSError, EOFError, zlib.error):
        return None
    raw_sha, content_sha = hashlib.sha256(raw).hexdigest(), hashlib.sha256(content).hexdigest()
    for d in DATASETS.values():
        f = next(f for f in d.files if f.name == f"{name}.gz")
        if f.gz_sha256 == raw_sha or f.content_sha256 == content_sha:
            return d
    return None


def class_names_for_source(source: str) -> tuple[str, ...]:
    """The class names of a run's data source (``RunStart.data_source``: :class:`DataSource`); the digits for the
    sample, or when the directory is gone or says nothing."""
    if not source or DataSource.parse(source).is_sample:
        return DIGITS
    try:
        return class_names_of(source)
    except DataError:
        return DIGITS


def latin_names(names: Sequence[str]) -> tuple[str, ...]:
    """The names in Latin letters where a data set has them (KMNIST's hiragana as romaji), else as they are."""
    names = tuple(names)
    for d in DATASETS.values():
        if names in (d.class_names, d.short_names) and d.latin_names is not None:
            return d.latin_names
    return names


def short_names(names: Sequence[str]) -> tuple[str, ...]:
    """Names short enough for a caption: a known data set's short forms, else each name cut to 7 characters."""
    names = tuple(names)
    for d in DATASETS.values():
        if names == d.class_names:
            return d.short_names
    return tuple(n if len(n) <= 7 else n[:6] + "…" for n in names)


# -- downloading (pooch) -----------------------------------------------------------------------------------------

Progress = Callable[[str, int, int], None]  # (file name, bytes so far, bytes in all or 0 when unknown)


def import_downloader() -> None:
    """Import pooch and requests (and what they import: tarfile, urllib3...) now. A thread that downloads calls
    this first on the thread that starts it: an import inside the thread, while the GUI thread runs Qt's event
    loop, once hung the test of the window's download dialog."""
    import pooch  # noqa: F401
    import requests  # noqa: F401


def _is_valid(path: str | Path, f: DataFile, gz: bool = True) -> bool:
    """Whether ``path`` is a good copy of ``f``: its decompressed content has ``f.size`` bytes and, where known, the
    SHA-256 ``f.content_sha256``; with ``gz``, its bytes have the SHA-256 ``f.gz_sha256`` where known."""
    import pooch  # here, as in every function that downloads: importing it (and requests) takes a while

    digest, total = hashlib.sha256(), 0
    try:
        if gz and f.gz_sha256 is not None and pooch.file_hash(str(path)) != f.gz_sha256:
            return False
        with open_maybe_gzipped(Path(path)) as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
                total += len(chunk)
    except (OSError, EOFError, zlib.error):
        return False
    return total == f.size and (f.content_sha256 is None or digest.hexdigest() == f.content_sha256)


class _Progress:
    """What pooch's downloader reports to in place of its tqdm bar: it sets ``total``, calls ``update(n)`` after every
    chunk, and at the end ``reset()``, ``update(total)`` and ``close()``. Each update first checks for a cancel."""

    def __init__(self, name: str, on_progress: Progress | None, cancelled: Callable[[], bool] | None):
        self.name, self.on_progress, self.cancelled = name, on_progress, cancelled
        self.total = self.done = 0

    def update(self, n: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise DownloadCancelled(f"The download of {self.name} was cancelled.")
        self.done = min(self.done + n, self.total) if self.total else self.done + n  # n: pooch's chunk size
        if self.on_progress is not None:
            self.on_progress(self.name, self.done, self.total)

    def reset(self) -> None:
        """Nothing: pooch resets before its final ``update(total)``, which :meth:`update` caps at the total."""

    def close(self) -> None:
        """Nothing to close."""


def _download_file(f: DataFile, dest: Path, mirrors: Sequence[str], title: str, progress: bool,
                   on_progress: Progress | None, cancelled: Callable[[], bool] | None) -> None:
    """Fetch ``f`` from the first mirror that serves a valid copy into a temporary file beside its destination, and
    give it its name only once it is complete and checked (never over a file); DataError if no mirror serves one.
    The temporary file is removed whatever ends the download: a failed check, a network error, a cancel, a signal
    turned into an exception."""
    import pooch
    import requests

    problems = []
    for mirror in mirrors:
        if cancelled is not None and cancelled():
            raise DownloadCancelled(f"The download of {f.name} was cancelled.")
        url = mirror.rstrip("/") + "/" + f.name
        if progress:
            print(f"Downloading {url}", file=sys.stderr)
        bar = _Progress(f.name, on_progress, cancelled) if on_progress or cancelled else progress
        get = pooch.HTTPDownloader(progressbar=bar, chunk_size=CHUNK, timeout=TIMEOUT, headers={"User-Agent": "cnnviz"})
        tmp = None
        try:
            tmp = temporary_path(dest / f.name)
            get(url, str(tmp), None)
            if not _is_valid(tmp, f):
                problems.append(Text("Data", QT_TRANSLATE_NOOP("Data", "{url} (content does not match its checksum)"),
                                     url=url))
                continue
            publish(tmp, dest / f.name)
            return
        except requests.RequestException as e:  # refused, unreachable, timed out, an HTTP error
            response = getattr(e, "response", None)
            problems.append(f"{url} ({type(e).__name__ if response is None else f'HTTP {response.status_code}'})")
        except FileExistsError:
            raise DataError.said(QT_TRANSLATE_NOOP("Data", "{file} appeared while it was downloaded; it was left "
                                                   "as it is."), file=dest / f.name) from None
        except OSError as e:  # not the network: writing into dest (permissions, a full disk)
            raise DataError.said(QT_TRANSLATE_NOOP("Data", "Cannot write to {folder} to download {title} ({why})."),
                                 folder=dest, title=title, why=e.strerror or e) from None
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
    raise DataError.said(QT_TRANSLATE_NOOP("Data", "Could not download a valid {name} from any mirror: "
                                           "{problems}."), name=f.name, problems=joined(problems, ", "))


def _names(f: DataFile) -> tuple[str, ...]:
    """The names under which a folder may hold ``f``, in the order :func:`cnnviz.data.load_mnist_dir` looks for them
    (the published ``.gz``, then uncompressed, then with a dot for the second hyphen)."""
    name = f.name.removesuffix(".gz")
    dotted = name.replace("-idx", ".idx")
    return f.name, name, dotted + ".gz", dotted


def _to_fetch(d: Dataset, dest: Path) -> list[DataFile]:
    """The files of ``d`` that ``dest`` lacks. DataError in one sentence when it holds an IDX file that is not a good
    copy of ``d``'s (another data set's, ``d``'s with other contents, a partial file) or something in the way: a
    download never removes or replaces a file it did not write."""
    missing = []
    for f in d.files:
        there = [dest / n for n in _names(f) if (dest / n).exists() or (dest / n).is_symlink()]
        if not there:
            missing.append(f)
            continue
        path = there[0]  # the one training would use
        if not path.is_file():
            raise DataError.said(QT_TRANSLATE_NOOP("Data", "{path} is in the way of the download: it exists and "
                                                   "is not a file."), path=path)
        if not _is_valid(path, f, gz=path.name == f.name):
            other = _recognise(dest)
            template = (QT_TRANSLATE_NOOP("Data", "{folder} already holds {file}, which is {other}'s, not {title}'s; a "
                                          "download never replaces a file: download {title} into another folder.")
                        if other not in (None, d) else
                        QT_TRANSLATE_NOOP("Data", "{folder} already holds {file}, which is not a copy of {title}'s; a "
                                          "download never replaces a file: download {title} into another folder."))
            raise DataError.said(template, folder=dest, file=path.name, other=other and other.title,
                                 title=d.title)
    listed = dest / CLASS_NAMES_FILE
    if (listed.exists() or listed.is_symlink()) and _names_or_none(dest) != d.class_names:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{file} names other classes than {title}'s; a download "
                                               "never replaces a file: download {title} into another folder."),
                             file=listed, title=d.title)
    return missing


def _names_or_none(directory: Path) -> tuple[str, ...] | None:
    """:func:`class_names_of`, or None where its ``class-names.txt`` cannot be read."""
    try:
        return class_names_of(directory)
    except DataError:
        return None


def download_dataset(name: str = "mnist", dest: str | Path | None = None, *, mirrors: Sequence[str] | None = None,
                     progress: bool = True, on_progress: Progress | None = None,
                     cancelled: Callable[[], bool] | None = None) -> Path:
    """Download the four files of the data set ``name`` into ``dest`` (default ``user_cache_dir(name)``); the
    directory.

    Files already there and valid are kept. A folder that holds an IDX file that is not a good copy of this data
    set's is refused in one sentence, before anything is fetched: a download never removes or replaces a file it
    did not write. Each missing file comes from the mirrors in turn (see the module docstring); DataError names the
    file and the mirrors when none serves a valid copy. ``progress`` prints each URL, and pooch's bar on standard error unless a
    callback is given: ``on_progress(file, done, total)``, called after every chunk, or ``cancelled()``, asked before
    every mirror and after every chunk, which when true ends the download with :class:`DownloadCancelled` (its
    temporary file is removed). A data set whose classes are not the digits gets a ``class-names.txt``, written
    atomically too.
    """
    d = dataset(name)
    dest = Path(dest) if dest is not None else user_cache_dir(name)
    if dest.exists() and not dest.is_dir():
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{folder} exists and is not a directory: give a directory "
                                               "to download {title} into."), folder=dest, title=d.title)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "Cannot create the directory {folder} to download {title} "
                                               "into ({why})."), folder=dest, title=d.title,
                             why=e.strerror or e) from None
    for f in _to_fetch(d, dest):
        _download_file(f, dest, d.mirrors if mirrors is None else mirrors, d.title, progress, on_progress, cancelled)
    if d.class_names != DIGITS and not (dest / CLASS_NAMES_FILE).exists():
        _write_class_names(dest, d.class_names)
    return dest


def _write_class_names(dest: Path, names: tuple[str, ...]) -> None:
    """``dest/class-names.txt``: the names, one a line, written to a temporary file and given its name (never over
    a file)."""
    tmp = temporary_path(dest / CLASS_NAMES_FILE)
    try:
        tmp.write_text("".join(f"{n}\n" for n in names), encoding="utf-8")
        publish(tmp, dest / CLASS_NAMES_FILE)
    except FileExistsError:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{file} appeared while {folder} was downloaded into; it "
                                               "was left as it is."), file=dest / CLASS_NAMES_FILE,
                             folder=dest) from None
    finally:
        tmp.unlink(missing_ok=True)
