"""Tests for cnnviz.data: IDX files, finding MNIST, the bundled sample, downloads (from a local server)."""

from __future__ import annotations

import gzip
import os
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from cnnviz import data, datasets
from cnnviz.errors import DataError
from tests.httpserver import closed_port_url, no_proxy, serving

MNIST_DIR = Path(os.environ.get("CNNVIZ_TEST_MNIST") or Path(__file__).parents[2] / "shared/data/mnist")
NAMES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
         "t10k-labels-idx1-ubyte"]


def write_idx(path: Path, array: np.ndarray, *, gz: bool = False, code: int = 0x08) -> Path:
    """Write ``array`` as an IDX file (big-endian), gzipped if asked."""
    dtype = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}[code]
    raw = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    raw += array.astype(dtype).tobytes()
    path.write_bytes(gzip.compress(raw) if gz else raw)
    return path


def write_mnist_dir(directory: Path, n_train: int = 5, n_test: int = 3, *, dotted: bool = False) -> Path:
    """A tiny data set in MNIST's file layout (8x8 images) for tests that need only the structure."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        for kind, array in (("images-idx3", rng.integers(0, 256, (n, 8, 8), dtype=np.uint8)),
                            ("labels-idx1", np.arange(n, dtype=np.uint8) % 10)):
            name = f"{prefix}-{kind}-ubyte"
            path = directory / (name.replace("-idx", ".idx") if dotted else name + ".gz")
            write_idx(path, array, gz=not dotted)
    return directory


@pytest.fixture(scope="module")
def full_mnist() -> data.MNIST:
    if not MNIST_DIR.is_dir():
        pytest.skip(f"the full MNIST is not at {MNIST_DIR} (set CNNVIZ_TEST_MNIST)")
    return data.load_mnist_dir(MNIST_DIR)


# --- read_idx --------------------------------------------------------------------------------------

@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("code", [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E])
def test_read_idx_round_trip(tmp_path, gz, code):
    array = np.arange(2 * 3 * 4).reshape(2, 3, 4) - 5 * (code != 0x08)
    out = data.read_idx(write_idx(tmp_path / "a.idx", array, gz=gz, code=code))
    assert out.shape == (2, 3, 4) and out.dtype.isnative and out.flags.writeable
    np.testing.assert_array_equal(out, array)


def test_read_idx_detects_gzip_by_content_not_name(tmp_path):
    array = np.arange(10, dtype=np.uint8)
    np.testing.assert_array_equal(data.read_idx(write_idx(tmp_path / "plain.gz", array)), array)
    np.testing.assert_array_equal(data.read_idx(write_idx(tmp_path / "zipped", array, gz=True)), array)


GOOD = bytes([0, 0, 8, 2]) + struct.pack(">2I", 2, 3) + bytes(range(6))


@pytest.mark.parametrize("content, words", [
    (b"\x12\x34\x56\x78" + GOOD[4:], "not an IDX file (magic number 0x12345678)"),
    (bytes([0, 0, 7]) + GOOD[3:], "unknown IDX data type code 0x07"),
    (GOOD[:-1], "truncated"),
    (GOOD[:9], "truncated"),  # inside the header
    (GOOD + b"\x00", "too long"),
    (b"", "empty"),
])
@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_refuses_bad_files(tmp_path, content, words, gz):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(content) if gz and content else content)
    with pytest.raises(DataError, match="train-images-idx3-ubyte.gz") as err:
        data.read_idx(path)
    assert words in str(err.value)


def test_read_idx_refuses_broken_gzip(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(GOOD)[:-10])
    with pytest.raises(DataError, match="train-images-idx3-ubyte.gz cannot be read or decompressed"):
        data.read_idx(path)


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("shape, payload, words", [
    ((2**31, 2**31, 4), 100, "is truncated: shape (2147483648, 2147483648, 4) needs 18446744073709551616 bytes"),
    ((2**32 - 1, 2**32 - 1, 2**32 - 1), 0, "is truncated"),
    ((2**32 - 1, 2**32 - 1, 0), 0, "impossible IDX sizes"),  # no data, yet no array can have that shape
    ((4, 3), 13, "too long: shape (4, 3) needs 12 bytes"),
])
def test_read_idx_checks_the_claimed_sizes_against_the_file_before_allocating(tmp_path, shape, payload, words, gz):
    """Sizes whose product overflows 64 bits once wrapped to 0 and passed the length check; now the claim is
    compared with the file (in Python integers) before anything is allocated for it."""
    import tracemalloc

    raw = bytes([0, 0, 8, len(shape)]) + struct.pack(f">{len(shape)}I", *shape) + bytes(payload)
    path = tmp_path / "t10k-images-idx3-ubyte"
    path.write_bytes(gzip.compress(raw) if gz else raw)
    tracemalloc.start()
    try:
        with pytest.raises(DataError) as err:
            data.read_idx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(err.value)
    assert str(path) in message and words in message and "\n" not in message
    assert peak < 4 << 20, peak  # a few MiB at most, whatever the header claims


def test_read_idx_reads_no_more_of_a_gzip_than_it_claims(tmp_path, monkeypatch):
    """A gzip whose content goes on past what its header claims is refused after reading one byte too many."""
    raw = bytes([0, 0, 8, 1]) + struct.pack(">I", 10) + bytes(5 << 20)  # claims 10 bytes, holds 5 MiB
    path = tmp_path / "labels.gz"
    path.write_bytes(gzip.compress(raw))
    read = []
    real_read = gzip.GzipFile.read
    monkeypatch.setattr(gzip.GzipFile, "read", lambda self, n=-1: read.append(n) or real_read(self, n))
    with pytest.raises(DataError, match="labels.gz is too long: shape \\(10,\\) needs 10 bytes"):
        data.read_idx(path)
    assert all(0 <= n <= 1 << 20 for n in read) and sum(read) <= 4 + 4 + 11


def test_read_idx_missing_file(tmp_path):
    with pytest.raises(DataError, match="nothing.idx does not exist"):
        data.read_idx(tmp_path / "nothing.idx")


# --- load_mnist_dir, find_mnist, load_data ---------------------------------------------------------

@pytest.mark.parametrize("dotted", [False, True])
def test_load_mnist_dir_small(tmp_path, dotted):
    mnist = data.load_mnist_dir(write_mnist_dir(tmp_path, 5, 3, dotted=dotted))
    assert mnist.train_images.shape == (5, 8, 8) and mnist.test_images.shape == (3, 8, 8)
    assert mnist.train_labels.dtype == np.uint8 and list(mnist.test_labels) == [0, 1, 2]
    assert mnist.source == str(tmp_path)


def test_load_mnist_dir_refusals(tmp_path):
    write_mnist_dir(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataError, match=f"{tmp_path} has no t10k-labels-idx1-ubyte.gz"):
        data.load_mnist_dir(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.array([1, 2], np.uint8), gz=True)
    with pytest.raises(DataError, match="has 2 labels but .*t10k-images-idx3-ubyte.gz has 3 images"):
        data.load_mnist_dir(tmp_path)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.array([1, 2, 10], np.uint8), gz=True)
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte.gz has a label 10, outside 0..9"):
        data.load_mnist_dir(tmp_path)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((3, 64), np.uint8), gz=True)
    with pytest.raises(DataError, match="not uint8 images"):
        data.load_mnist_dir(tmp_path)
    with pytest.raises(DataError, match="is not a directory"):
        data.load_mnist_dir(tmp_path / "nowhere")


def test_training_and_test_images_of_different_sizes_are_refused(tmp_path):
    write_mnist_dir(tmp_path)  # 8x8 images
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((3, 7, 9), np.uint8), gz=True)
    with pytest.raises(DataError) as err:
        data.load_mnist_dir(tmp_path)
    assert str(err.value) == (f"{tmp_path} has training images of 8x8 but test images of 7x9; both must be the "
                              "same size.")


def test_a_split_with_no_images_loads_and_the_trainer_refuses_it(tmp_path):
    """Empty IDX files are well formed; what cannot train (no training images) or evaluate (no test images) is
    refused where the data is used, in one sentence naming the folder (tests/test_cli.py: on the command line)."""
    from cnnviz.config import make_config
    from cnnviz.training import Trainer

    config = make_config(conv=(2,), fc=(8, 10), input_shape=(1, 8, 8), epochs=1, threads=1)
    for n_train, n_test, words in ((5, 0, "has no test images"), (0, 3, "has no training images")):
        folder = write_mnist_dir(tmp_path / f"{n_train}-{n_test}", n_train, n_test)
        mnist = data.load_mnist_dir(folder)
        assert len(mnist.train_images) == n_train and len(mnist.test_images) == n_test
        with pytest.raises(DataError) as err:
            Trainer(config, mnist)
        assert str(err.value).startswith(f"{folder} {words}: there is nothing to")


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty stand-in for the user cache directory; CNNVIZ_DATA unset."""
    monkeypatch.setattr(data, "user_cache_dir", lambda: tmp_path / "cache")
    monkeypatch.delenv("CNNVIZ_DATA", raising=False)
    return tmp_path / "cache"


def test_find_mnist_order(tmp_path, cache, monkeypatch):
    assert data.find_mnist() is None
    write_mnist_dir(cache)
    assert data.find_mnist() == cache
    env_dir = write_mnist_dir(tmp_path / "env")
    monkeypatch.setenv("CNNVIZ_DATA", str(env_dir))
    assert data.find_mnist() == env_dir
    explicit = write_mnist_dir(tmp_path / "explicit", dotted=True)
    assert data.find_mnist(explicit) == explicit


def test_find_mnist_refuses_bad_explicit_or_env_dir(tmp_path, cache, monkeypatch):
    write_mnist_dir(cache)
    with pytest.raises(DataError, match="missing is not a directory"):
        data.find_mnist(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="empty has no train-images-idx3-ubyte.gz"):
        data.find_mnist(tmp_path / "empty")
    monkeypatch.setenv("CNNVIZ_DATA", str(tmp_path / "empty"))
    with pytest.raises(DataError, match="^CNNVIZ_DATA .*empty.* has no"):
        data.find_mnist()


def test_find_mnist_ignores_incomplete_cache(cache):
    write_mnist_dir(cache)
    (cache / "train-labels-idx1-ubyte.gz").unlink()
    assert data.find_mnist() is None


def test_load_data(tmp_path, cache, monkeypatch):
    assert data.load_data("sample").source == "bundled sample (2000 train / 1000 test)"
    assert data.load_data(None).source.startswith("bundled sample")
    small = write_mnist_dir(tmp_path / "small")
    assert data.load_data(small).source == str(small)
    assert data.load_data(str(small)).source == str(small)

    def fake_download(dest=None, *, progress=True):
        return write_mnist_dir(data.user_cache_dir())

    monkeypatch.setattr(data, "download_mnist", fake_download)
    assert data.load_data(None, download=True, progress=False).source == str(cache)
    assert data.load_data(None).source == str(cache)  # found in the cache now


def test_limited():
    sample = data.load_sample()
    small = sample.limited(10, None)
    assert len(small.train_images) == len(small.train_labels) == 10 and len(small.test_labels) == 1000
    np.testing.assert_array_equal(small.train_images, sample.train_images[:10])
    whole = sample.limited(None, None)
    assert len(whole.train_labels) == 2000 and len(whole.test_labels) == 1000
    for n_train, n_test in ((0, None), (-1, None), (2001, None), (None, 1001)):
        with pytest.raises(DataError, match="bundled sample"):
            sample.limited(n_train, n_test)


# --- The real data and the bundled sample ----------------------------------------------------------

def test_full_mnist(full_mnist):
    m = full_mnist
    assert m.train_images.shape == (60000, 28, 28) and m.test_images.shape == (10000, 28, 28)
    assert m.train_labels.shape == (60000,) and m.test_labels.shape == (10000,)
    assert m.train_images.dtype == m.train_labels.dtype == np.uint8
    assert list(m.train_labels[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert list(m.test_labels[:10]) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert m.train_images.mean() == pytest.approx(33.318, abs=1e-3)


def test_sample_is_balanced():
    sample = data.load_sample()
    assert sample.train_images.shape == (2000, 28, 28) and sample.test_images.shape == (1000, 28, 28)
    assert sample.train_images.dtype == sample.train_labels.dtype == np.uint8
    assert list(np.bincount(sample.train_labels)) == [200] * 10
    assert list(np.bincount(sample.test_labels)) == [100] * 10
    assert (data.resources_dir() / "MNIST-LICENSE.md").is_file()
    assert "Attribution-Share Alike 3.0" in (data.resources_dir() / "MNIST-LICENSE.md").read_text()


def test_sample_matches_originals(full_mnist):
    with np.load(data.resources_dir() / "mnist-sample.npz") as f:
        for split, images, labels in (("train", full_mnist.train_images, full_mnist.train_labels),
                                      ("test", full_mnist.test_images, full_mnist.test_labels)):
            idx = f[f"{split}_indices"]
            assert np.all(np.diff(idx) > 0)
            np.testing.assert_array_equal(f[f"{split}_images"], images[idx])
            np.testing.assert_array_equal(f[f"{split}_labels"], labels[idx])


# --- Downloading, from a server on 127.0.0.1 -------------------------------------------------------

@pytest.fixture
def server(tmp_path, monkeypatch):
    """(url, root, requested paths): a local HTTP server whose root has good/ (the real files) and bad/."""
    if not MNIST_DIR.is_dir():
        pytest.skip(f"the full MNIST is not at {MNIST_DIR} (set CNNVIZ_TEST_MNIST)")
    no_proxy(monkeypatch)
    root = tmp_path / "www"
    (root / "bad").mkdir(parents=True)
    shutil.copytree(MNIST_DIR, root / "good")
    with serving(root) as (url, requested):
        yield url, root, requested


def assert_valid_download(dest: Path):
    assert sorted(p.name for p in dest.iterdir()) == sorted(datasets.MNIST_FILES)
    mnist = data.load_mnist_dir(dest)
    assert mnist.train_images.shape == (60000, 28, 28) and list(mnist.test_labels[:3]) == [7, 2, 1]


def test_download(server, tmp_path):
    url, _, requested = server
    dest = data.download_mnist(tmp_path / "dest", mirrors=[url + "/good/"], progress=False)
    assert dest == tmp_path / "dest"
    assert_valid_download(dest)
    requested.clear()
    data.download_mnist(dest, mirrors=[url + "/good"], progress=False)  # all there and valid
    assert requested == []


def test_download_skips_bad_and_unreachable_mirrors(server, tmp_path):
    url, root, requested = server
    dest = tmp_path / "dest"
    dest.mkdir()
    for name in ("train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz"):  # already there
        shutil.copy(root / "good" / name, dest / name)
    # bad/ serves valid gzip files with one flipped label, and a t10k labels file with flipped .gz bytes
    labels = bytearray(gzip.decompress((root / "good/train-labels-idx1-ubyte.gz").read_bytes()))
    labels[8] ^= 1
    (root / "bad/train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(bytes(labels)))
    broken = bytearray((root / "good/t10k-labels-idx1-ubyte.gz").read_bytes())
    broken[100:110] = bytes(b ^ 0xFF for b in broken[100:110])
    (root / "bad/t10k-labels-idx1-ubyte.gz").write_bytes(bytes(broken))

    mirrors = [closed_port_url(), url + "/bad/", url + "/missing/", url + "/good/"]
    data.download_mnist(dest, mirrors=mirrors, progress=False)
    assert_valid_download(dest)
    assert requested == [f"/{m}/{n}" for n in ("train-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
                         for m in ("bad", "missing", "good")]


def test_download_all_mirrors_bad(server, tmp_path):
    url, root, _ = server
    dest = tmp_path / "dest"
    dest.mkdir()
    for name in ("train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"):
        shutil.copy(root / "good" / name, dest / name)
    labels = bytearray(gzip.decompress((root / "good/t10k-labels-idx1-ubyte.gz").read_bytes()))
    labels[-1] ^= 1
    (root / "bad/t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(bytes(labels)))
    mirrors = [url + "/bad/", closed_port_url(), url + "/missing/"]
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte.gz") as err:
        data.download_mnist(dest, mirrors=mirrors, progress=False)
    assert all(m in str(err.value) for m in mirrors)
    assert "does not match its checksum" in str(err.value) and "HTTP 404" in str(err.value)
    left = sorted(p.name for p in dest.iterdir())  # no temporary files
    assert left == sorted(set(datasets.MNIST_FILES) - {"t10k-labels-idx1-ubyte.gz"})


def test_download_never_replaces_an_invalid_file(server, tmp_path):
    """A half file is the user's to remove (a download never deletes a file it did not write); then it downloads."""
    url, _, requested = server
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "train-labels-idx1-ubyte.gz").write_bytes(b"half a file")
    with pytest.raises(DataError, match="already holds train-labels-idx1-ubyte.gz, which is not a copy of MNIST's"):
        data.download_mnist(dest, mirrors=[url + "/good/"], progress=False)
    assert (dest / "train-labels-idx1-ubyte.gz").read_bytes() == b"half a file" and requested == []
    (dest / "train-labels-idx1-ubyte.gz").unlink()
    data.download_mnist(dest, mirrors=[url + "/good/"], progress=False)
    assert_valid_download(dest)


def test_download_into_an_existing_file_or_past_one_is_one_sentence(tmp_path):
    """No mirror is contacted: the destination is refused first."""
    existing = tmp_path / "mnist.gz"
    existing.write_bytes(b"mine")
    with pytest.raises(DataError) as err:
        data.download_mnist(existing, mirrors=["http://127.0.0.1:9/"], progress=False)
    assert str(err.value) == f"{existing} exists and is not a directory: give a directory to download MNIST into."
    with pytest.raises(DataError, match="Cannot create the directory .*mnist.gz/sub to download MNIST into"):
        data.download_mnist(existing / "sub", mirrors=["http://127.0.0.1:9/"], progress=False)
    (tmp_path / "dest" / "train-images-idx3-ubyte.gz").mkdir(parents=True)
    with pytest.raises(DataError, match="train-images-idx3-ubyte.gz is in the way of the download"):
        data.download_mnist(tmp_path / "dest", mirrors=["http://127.0.0.1:9/"], progress=False)
    assert existing.read_bytes() == b"mine"


# --- to_input ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_to_input(dtype):
    images = np.array([[[0, 255], [128, 1]]] * 3, dtype=np.uint8)
    x = data.to_input(images, dtype)
    assert x.shape == (3, 1, 2, 2) and x.dtype == dtype
    assert x.min() == 0.0 and x.max() == 1.0
    np.testing.assert_allclose(x[:, 0], images / 255.0, rtol=1e-6)
