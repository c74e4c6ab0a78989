"""MNIST for cnnviz: IDX files, finding and downloading the data set, and the bundled sample.

Where the data comes from (``load_data``, behind the command line's ``--data`` option):

1. ``--data sample``: the bundled sample, 2,000 training and 1,000 test images (200 and 100 per class)
   in ``resources/mnist-sample.npz``; see ``resources/MNIST-LICENSE.md``.
2. ``--data DIR``: the four standard IDX files in DIR (gzipped or not, dashed or dotted names).
   ``--data mnist``, ``fashion-mnist`` or ``kmnist`` (when no directory has that name): the data set downloaded
   into the user cache (:mod:`cnnviz.datasets`, which also says what each data set's classes are called).
3. No ``--data``: the first of
   a. the directory in the environment variable ``CNNVIZ_DATA`` (if it is set, it must hold the files),
   b. the user cache directory (``user_cache_dir()``, e.g. ``~/.cache/cnnviz/mnist``), used only when
      all four files are there,
   c. a download into that cache directory, when asked for (``download=True``),
   d. the bundled sample.

Downloads (:mod:`cnnviz.datasets`, which holds MNIST's mirrors and checksums) try the mirrors in order and keep
a file only after the SHA-256 of its *decompressed* content matches (the gzip wrappers differ between copies).
Images are kept as uint8 (N, H, W) with labels uint8 (N,); ``to_input`` turns them into network input.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import math
import os
import struct
import sys
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import platformdirs

from cnnviz.core.inputs import network_input
from cnnviz.datasets import (
    DATASETS,
    DIGITS,
    MIRRORS,
    DataSource,
    class_names_of,
    dataset,
    download_dataset,
    is_downloaded,
    open_maybe_gzipped,
)
from cnnviz.datasets import user_cache_dir as dataset_cache_dir
from cnnviz.errors import QT_TRANSLATE_NOOP, DataError
from cnnviz.imageprep import prepare_image
from cnnviz.system import available_memory, format_bytes

__all__ = [
    "MNIST",
    "digest",
    "download_mnist",
    "find_mnist",
    "load_data",
    "load_mnist_dir",
    "load_sample",
    "prepare_image",
    "read_idx",
    "resources_dir",
    "to_input",
    "to_uint8",
    "user_cache_dir",
]


@dataclass(frozen=True, eq=False)  # eq=False: compared and hashed by identity (fields are arrays)
class MNIST:
    """Training and test images, (N, H, W) uint8 with pixels 0..255, and their labels, (N,) uint8."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    source: str  # a DataSource described: "bundled sample (2000 train / 1000 test)" or the directory
    class_names: tuple[str, ...] = DIGITS  # what the labels 0..9 mean (see cnnviz.datasets.class_names_of)

    def limited(self, n_train: int | None, n_test: int | None) -> MNIST:
        """The first ``n_train`` training and ``n_test`` test examples (None keeps a split whole)."""
        n_train = _check_count(n_train, len(self.train_labels), "training", self.source)
        n_test = _check_count(n_test, len(self.test_labels), "test", self.source)
        return dataclasses.replace(
            self,
            train_images=self.train_images[:n_train], train_labels=self.train_labels[:n_train],
            test_images=self.test_images[:n_test], test_labels=self.test_labels[:n_test],
        )

    def digests(self) -> dict[str, str]:
        """What identifies these images and labels, as a session records it: ``{"train_sha256", "test_sha256"}``,
        each :func:`digest` of a split (0.15 s for MNIST's 60,000 training images on a 2-core Xeon)."""
        return {"train_sha256": digest(self.train_images, self.train_labels),
                "test_sha256": digest(self.test_images, self.test_labels)}

    def changed(self, recorded: Mapping[str, str]) -> list[str]:
        """The splits ("training", "test") whose :meth:`digests` are not the ``recorded`` ones (a split with no
        digest recorded is not judged)."""
        found = self.digests()
        return [split for split, key in (("training", "train_sha256"), ("test", "test_sha256"))
                if key in recorded and recorded[key] != found[key]]


def digest(images: np.ndarray, labels: np.ndarray) -> str:
    """The SHA-256 (hex) of a split: its images' shape, their bytes (uint8) and the labels as 64-bit integers. Any
    changed pixel, label, or image added or removed changes it."""
    h = hashlib.sha256(repr(tuple(images.shape)).encode())
    h.update(np.ascontiguousarray(images, dtype=np.uint8))
    h.update(np.ascontiguousarray(labels, dtype="<i8"))
    return h.hexdigest()


def _check_count(n: int | None, available: int, split: str, source: str) -> int:
    if n is None:
        return available
    if not 0 < n <= available:
        template = (QT_TRANSLATE_NOOP("Data", "Cannot use {n} training examples: {source} has {available}.")
                    if split == "training" else
                    QT_TRANSLATE_NOOP("Data", "Cannot use {n} test examples: {source} has {available}."))
        raise DataError.said(template, n=n, source=source, available=available)
    return n


# --- IDX files ------------------------------------------------------------------------------------

# IDX type code -> big-endian dtype (http://yann.lecun.com/exdb/mnist/, "THE IDX FILE FORMAT").
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: str | Path) -> np.ndarray:
    """Read an IDX file (gzipped or not; detected by content) into an array in native byte order.

    Layout: two zero bytes, a type code (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32,
    0x0E float64), the number of dimensions d, d big-endian uint32 sizes, then the values, big-endian,
    row-major. Any departure from it (including a payload shorter or longer than the sizes say)
    raises DataError. The sizes in the header are checked against the file's actual length before anything
    is allocated for them: a header that claims more than the file holds (2^31 x 2^31 x 4 images, say) is
    refused as it is read (a gzip by deflate's best ratio, MAX_DEFLATE_RATIO), at most the size it claims plus one
    byte is ever read, and a plain file's size is checked before its data is read at all. Sizes that would not fit
    in the memory available now (twice the data: the bytes read and the array) are refused before the data is read
    or decompressed.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{path} does not exist or is not a file."), path=path)
    try:
        with open_maybe_gzipped(path) as f:
            return _read_idx(path, f)
    except (OSError, EOFError, zlib.error) as e:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{path} cannot be read or decompressed ({why})."),
                             path=path, why=e) from None


def _read_exactly(f, n: int) -> bytes:
    """Up to ``n`` bytes of ``f`` (fewer only at its end), read in pieces of at most 1 MiB."""
    pieces, left = [], n
    while left > 0:
        piece = f.read(min(left, 1 << 20))
        if not piece:
            break
        pieces.append(piece)
        left -= len(piece)
    return b"".join(pieces)


MAX_DEFLATE_RATIO = 1032  # deflate's best: 258 bytes from a 2-bit code at most (about 1032 to 1)


def _check_memory(path: Path, shape: tuple[int, ...], nbytes: int) -> None:
    """DataError (one sentence) if reading an array of ``shape`` needs ``nbytes``, more memory than is available."""
    if nbytes > (available := available_memory()):
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{path} holds {shape} values, which need {needed} of "
                                               "memory, more than the {available} available."),
                             path=path, shape=" x ".join(map(str, shape)), needed=format_bytes(nbytes),
                             available=format_bytes(available))


def _read_idx(path: Path, f) -> np.ndarray:
    head = _read_exactly(f, 4)
    if not head:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{path} is empty."), path=path)
    if len(head) < 4 or head[0] != 0 or head[1] != 0:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{path} is not an IDX file (magic number 0x{magic})."),
                             path=path, magic=head.hex())
    code, ndim = head[2], head[3]
    if code not in _IDX_DTYPES:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{path} has an unknown IDX data type code 0x{code}."),
                             path=path, code=f"{code:02x}")
    if ndim == 0:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{path} is an IDX file with zero dimensions."), path=path)
    sizes = _read_exactly(f, 4 * ndim)
    if len(sizes) < 4 * ndim:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{path} is truncated: its IDX header ends early."),
                             path=path)
    shape = struct.unpack(f">{ndim}I", sizes)
    dtype = np.dtype(_IDX_DTYPES[code])
    # Python integers: the product of the sizes cannot overflow (in int64, 2^31 x 2^31 x 4 would be 0).
    expected = math.prod(shape) * dtype.itemsize
    header = 4 + 4 * ndim
    if isinstance(f, gzip.GzipFile):
        compressed = os.path.getsize(path)
        if expected > MAX_DEFLATE_RATIO * compressed + 4096:
            raise DataError.said(QT_TRANSLATE_NOOP("Data", "{path} is truncated: shape {shape} needs {expected} "
                                                   "bytes of data, more than its {compressed} compressed bytes "
                                                   "can hold."),
                                 path=path, shape=shape, expected=expected, compressed=compressed)
        _check_memory(path, shape, 2 * expected)  # before a byte of it is decompressed
        payload = _read_exactly(f, expected + 1)  # stops one byte past the claim: enough to call it too long
        found = len(payload) if len(payload) <= expected else None
    else:
        found = os.fstat(f.fileno()).st_size - header
        if found == expected:
            _check_memory(path, shape, 2 * expected)
        payload = _read_exactly(f, expected) if found == expected else b""
    if found != expected:
        if found is None:
            raise DataError.said(QT_TRANSLATE_NOOP("Data", "{path} is too long: shape {shape} needs {expected} "
                                                   "bytes of data, the file has more."),
                                 path=path, shape=shape, expected=expected)
        raise _wrong_length(path, shape, expected, found)
    if len(payload) != expected:  # the file shrank while it was read
        raise _wrong_length(path, shape, expected, len(payload))
    if math.prod(n for n in shape if n) * dtype.itemsize > sys.maxsize:  # no data, but sizes no array can have
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{path} has impossible IDX sizes {shape}: no array is "
                                               "that large."), path=path, shape=shape)
    return np.frombuffer(payload, dtype).reshape(shape).astype(dtype.newbyteorder("="))


def _wrong_length(path: Path, shape: tuple[int, ...], expected: int, found: int) -> DataError:
    """The sentence for an IDX file whose data is not the ``expected`` bytes its header's ``shape`` needs."""
    template = (QT_TRANSLATE_NOOP("Data", "{path} is truncated: shape {shape} needs {expected} bytes of data, the file "
                                  "has {found}.") if found < expected else
                QT_TRANSLATE_NOOP("Data", "{path} is too long: shape {shape} needs {expected} bytes of data, the file "
                                  "has {found}."))
    return DataError.said(template, path=path, shape=shape, expected=expected, found=found)


# --- Finding MNIST on disk -------------------------------------------------------------------------

_SPLIT_FILES = {  # key -> standard file name (without .gz)
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def _find_files(directory: Path, label: str) -> dict[str, Path]:
    """The four MNIST files in ``directory``; DataError (naming ``label``) if one is missing."""
    if not directory.is_dir():
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{folder} is not a directory."), folder=label)
    found = {}
    for key, name in _SPLIT_FILES.items():
        dotted = name.replace("-idx", ".idx")
        candidates = [directory / n for n in (name + ".gz", name, dotted + ".gz", dotted)]
        found[key] = next((p for p in candidates if p.is_file()), None)
        if found[key] is None:
            raise DataError.said(QT_TRANSLATE_NOOP("Data", "{folder} has no {name}.gz (nor {name}, {dotted}.gz "
                                                   "or {dotted})."), folder=label, name=name, dotted=dotted)
    return found


def load_mnist_dir(directory: str | Path) -> MNIST:
    """Load MNIST (or any data set in its format: uint8 images (N, H, W), labels 0..9) from a directory."""
    directory = Path(directory)
    files = _find_files(directory, str(directory))
    arrays = {}
    for split in ("train", "test"):
        arrays[f"{split}_images"], arrays[f"{split}_labels"] = _read_split(files, split)
    train, test = arrays["train_images"].shape[1:], arrays["test_images"].shape[1:]
    if train != test:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{folder} has training images of {train} but test images "
                                               "of {test}; both must be the same size."),
                             folder=directory, train=_size(train), test=_size(test))
    return MNIST(**arrays, source=str(directory), class_names=class_names_of(directory))


def _size(shape: tuple[int, ...]) -> str:
    """``(28, 28)`` -> ``28x28``."""
    return "x".join(str(n) for n in shape)


def _read_split(files: dict[str, Path], split: str) -> tuple[np.ndarray, np.ndarray]:
    """The images and labels of one split ("train" or "test"), checked."""
    image_file, label_file = files[f"{split}_images"], files[f"{split}_labels"]
    images, labels = read_idx(image_file), read_idx(label_file)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{file} holds {dtype} of shape {shape}, not uint8 images "
                                               "(N, height, width)."),
                             file=image_file, dtype=images.dtype, shape=images.shape)
    if labels.ndim != 1 or labels.dtype != np.uint8:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{file} holds {dtype} of shape {shape}, not uint8 labels "
                                               "(N,)."), file=label_file, dtype=labels.dtype, shape=labels.shape)
    if len(labels) != len(images):
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{file} has {n} labels but {images} has {m} images."),
                             file=label_file, n=len(labels), images=image_file, m=len(images))
    if labels.size and labels.max() > 9:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "{file} has a label {label}, outside 0..9."),
                             file=label_file, label=labels.max())
    return images, labels


def load_test_set(spec: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Only the test images and labels of "sample" or an MNIST directory (a fraction of :func:`load_data`'s
    time: what a replay needs to show any test image)."""
    if str(spec) == "sample":
        sample = load_sample()
        return sample.test_images, sample.test_labels
    return _read_split(_find_files(Path(spec), str(spec)), "test")


def user_cache_dir() -> Path:
    """Where downloads go and where ``find_mnist`` looks last, e.g. ``~/.cache/cnnviz/mnist``."""
    return platformdirs.user_cache_path("cnnviz") / "mnist"


def find_mnist(data_dir: str | Path | None = None) -> Path | None:
    """The directory holding the four MNIST files, or None (see the module docstring for the order).

    An explicit ``data_dir`` or a set ``CNNVIZ_DATA`` must hold the files (else DataError); the user
    cache directory is used only if all four are there. Only the presence of the files is checked.
    """
    if data_dir is not None:
        _find_files(Path(data_dir), str(data_dir))
        return Path(data_dir)
    env = os.environ.get("CNNVIZ_DATA")
    if env:
        _find_files(Path(env), f"CNNVIZ_DATA ({env})")
        return Path(env)
    cache = user_cache_dir()
    try:
        _find_files(cache, str(cache))
    except DataError:
        return None
    return cache


# --- The bundled sample ----------------------------------------------------------------------------

def resources_dir() -> Path:
    """The project's ``resources`` directory (the MNIST sample and its licence note, the example session, the
    icon): the package ``cnnviz.resources``, which the packaging maps onto ``resources/`` at the top of the
    repository (so a wheel holds it; an editable install points at the checkout's folder)."""
    from importlib.resources import files

    try:
        return Path(str(files("cnnviz.resources")))
    except (ImportError, TypeError):  # an editable install made before the mapping: the checkout's folder
        return Path(__file__).resolve().parent.parent / "resources"


def load_sample() -> MNIST:
    """The bundled sample: 200 training and 100 test images per class (see resources/MNIST-LICENSE.md)."""
    path = resources_dir() / "mnist-sample.npz"
    try:
        with np.load(path) as f:
            arrays = {key: f[key] for key in _SPLIT_FILES}
    except (OSError, KeyError, ValueError) as e:
        raise DataError.said(QT_TRANSLATE_NOOP("Data", "The bundled MNIST sample {path} cannot be read ({why})."),
                             path=path, why=e) from None
    n_train, n_test = len(arrays["train_labels"]), len(arrays["test_labels"])
    return MNIST(**arrays, source=DataSource.sample(n_train, n_test).describe())


def example_session_path() -> Path:
    """The example session shipped in ``resources``: a short run of the lecture's conv layers on the bundled
    sample, for replaying before training anything (made by tools/make_example_session.py)."""
    return resources_dir() / "example-session.h5"


def load_data(spec: str | Path | None = None, *, download: bool = False, progress: bool = True) -> MNIST:
    """The data the command line's ``--data`` asks for: "sample", a directory, a data set's name ("mnist",
    "fashion-mnist", "kmnist": its copy in the user cache; a directory of that name wins), or None (search)."""
    if spec is not None and str(spec) == "sample":
        return load_sample()
    if spec is not None and str(spec) in DATASETS and not Path(spec).is_dir():
        return load_named(str(spec), download=download, progress=progress)
    if spec is not None:
        return load_mnist_dir(spec)
    directory = find_mnist(None)
    if directory is None and download:
        directory = download_mnist(progress=progress)
    return load_mnist_dir(directory) if directory is not None else load_sample()


def load_named(name: str, *, download: bool = False, progress: bool = True) -> MNIST:
    """The data set ``name`` from its user cache directory (downloaded first when ``download`` and it is not
    there); DataError in one sentence when it is not there."""
    d = dataset(name)
    directory = dataset_cache_dir(name)
    if not is_downloaded(name, directory):
        if not download:
            raise DataError.said(QT_TRANSLATE_NOOP("Data", "{title} is not downloaded (looked in {folder}): run "
                                                   "`cnnviz download --dataset {name}`, or add --download."),
                                 title=d.title, folder=directory, name=name)
        download_dataset(name, directory, progress=progress)
    return load_mnist_dir(directory)


# --- Downloading -----------------------------------------------------------------------------------

def download_mnist(dest: str | Path | None = None, *, mirrors: Sequence[str] = MIRRORS,
                   progress: bool = True) -> Path:
    """Download the four MNIST .gz files into ``dest`` (default ``user_cache_dir()``) and return it.

    Files already there and valid are kept. Each download goes to a temporary file in ``dest`` and
    is renamed into place only after its decompressed content matches ``MNIST_FILES``; otherwise the
    next mirror is tried. If no mirror serves a valid copy, DataError names the file and the mirrors.
    (:func:`cnnviz.datasets.download_dataset` does it, for every data set.)
    """
    return download_dataset("mnist", dest, mirrors=mirrors, progress=progress)


# --- Network input ---------------------------------------------------------------------------------

def to_input(images: np.ndarray, dtype=np.float32) -> np.ndarray:
    """(N, H, W) uint8 images -> (N, 1, H, W) array of ``dtype`` with values x / 255 in [0, 1], by the network's one
    rule for its input (:func:`cnnviz.core.inputs.network_input`)."""
    if images.ndim != 3:
        raise ValueError(f"to_input expects images of shape (N, H, W), got {images.shape}")
    return network_input(images[:, np.newaxis], dtype)


def to_uint8(image: np.ndarray) -> np.ndarray:
    """A float image in [0, 1] (:func:`prepare_image`'s) -> uint8 ``round(255 x)``, stored as MNIST's images are,
    so that a drawn or opened image reaches the network through :func:`to_input` like every test image (the
    rounding changes a pixel by at most 1/510)."""
    return np.round(np.clip(np.asarray(image, dtype=np.float64), 0.0, 1.0) * 255).astype(np.uint8)
