"""Tests for cnnviz.datasets: the data sets' names, checks and class names; downloads from a local server (nothing is
downloaded from the internet: the real data sets' entries are replaced by small files with their own checksums)."""

from __future__ import annotations

import dataclasses
import errno
import gzip
import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from cnnviz import data, datasets
from cnnviz.datasets import DATASETS, DataFile, DownloadCancelled
from cnnviz.errors import DataError
from tests.httpserver import SlowHandler, closed_port_url, no_proxy, serving
from tests.test_data import write_idx
from tests.test_training import wait_until

FASHION = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


def test_the_three_data_sets_and_their_class_names():
    assert list(DATASETS) == ["mnist", "fashion-mnist", "kmnist"]
    assert DATASETS["mnist"].class_names == tuple("0123456789")
    assert DATASETS["fashion-mnist"].class_names == FASHION
    assert DATASETS["kmnist"].class_names == ("お", "き", "す", "つ", "な", "は", "ま", "や", "れ", "を")
    for d in DATASETS.values():
        assert len(d.short_names) == 10 and all(len(n) <= 7 for n in d.short_names)
        assert [f.name for f in d.files] == list(datasets.MNIST_FILES)
        # every file has a checksum; the sizes are those of 60,000 + 10,000 images of 28x28 and their labels
        assert all(f.content_sha256 or f.gz_sha256 for f in d.files)
        assert [f.size for f in d.files] == [16 + 60000 * 784, 8 + 60000, 16 + 10000 * 784, 8 + 10000]
        assert all(len(sha) == 64 for f in d.files for sha in (f.content_sha256, f.gz_sha256) if sha)


def test_an_unknown_name_is_one_sentence():
    with pytest.raises(DataError) as err:
        datasets.dataset("cifar")
    assert str(err.value) == "There is no data set called 'cifar': choose one of mnist, fashion-mnist, kmnist."


def test_short_names():
    assert datasets.short_names(FASHION)[0] == "T-shirt" and datasets.short_names(FASHION)[-1] == "Boot"
    assert datasets.short_names(tuple("0123456789")) == tuple("0123456789")
    assert datasets.short_names(("a", "a very long name")) == ("a", "a very…")


# -- class names of a directory ----------------------------------------------------------------------------------

def small_set(directory: Path, n_train: int = 300, n_test: int = 20, seed: int = 0) -> Path:
    """Four gzipped IDX files of 28x28 random images (incompressible: the train images span several chunks)."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        write_idx(directory / f"{prefix}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
                  gz=True)
        write_idx(directory / f"{prefix}-labels-idx1-ubyte.gz", rng.integers(0, 10, n, dtype=np.uint8), gz=True)
    return directory


def fake_entry(name: str, directory: Path, mirrors: tuple[str, ...], *, by: str = "gz") -> datasets.Dataset:
    """The data set ``name`` with the files of ``directory`` (checked by the .gz bytes, or by the content)."""
    files = []
    for f in DATASETS[name].files:
        raw = (directory / f.name).read_bytes()
        content = gzip.decompress(raw)
        files.append(DataFile(f.name, len(content), gz_size=len(raw),
                              gz_sha256=hashlib.sha256(raw).hexdigest() if by == "gz" else None,
                              content_sha256=hashlib.sha256(content).hexdigest() if by == "content" else None))
    return dataclasses.replace(DATASETS[name], files=tuple(files), mirrors=mirrors)


def test_class_names_of_a_directory(tmp_path, monkeypatch):
    plain = small_set(tmp_path / "plain", 10, 5)
    assert datasets.class_names_of(plain) == tuple("0123456789")
    assert data.load_mnist_dir(plain).class_names == tuple("0123456789")
    (plain / "class-names.txt").write_text("\n".join(FASHION) + "\n", encoding="utf-8")
    assert data.load_mnist_dir(plain).class_names == FASHION
    (plain / "class-names.txt").write_text("a\nb\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        data.load_mnist_dir(plain)
    assert str(err.value) == f"{plain / 'class-names.txt'} has 2 class names; it needs ten, one a line, for labels 0..9."
    (plain / "class-names.txt").write_bytes(b"\xff\xfe\xfa" * 10)
    with pytest.raises(DataError, match="cannot be read as UTF-8 text"):
        data.load_mnist_dir(plain)
    # a directory without class-names.txt is recognised by its test labels file
    other = small_set(tmp_path / "other", 10, 5, seed=1)
    monkeypatch.setitem(DATASETS, "kmnist", fake_entry("kmnist", other, ()))
    assert datasets.class_names_of(other) == DATASETS["kmnist"].class_names
    assert datasets.class_names_for_source(str(other)) == DATASETS["kmnist"].class_names
    assert datasets.class_names_for_source("bundled sample (2000 train / 1000 test)") == tuple("0123456789")
    assert datasets.class_names_for_source(str(tmp_path / "gone")) == tuple("0123456789")


def test_the_sample_and_full_mnist_are_digits():
    assert data.load_sample().class_names == tuple("0123456789")


# -- downloads, from a server on 127.0.0.1 -----------------------------------------------------------------------

@pytest.fixture
def server(tmp_path, monkeypatch):
    """(url, root, requested paths): a local HTTP server whose root/good/ holds a small data set, and the user
    cache moved into tmp_path."""
    no_proxy(monkeypatch)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CNNVIZ_DATA", raising=False)
    root = tmp_path / "www"
    small_set(root / "good")
    (root / "bad").mkdir()
    with serving(root) as (url, requested):
        yield url, root, requested


@pytest.mark.parametrize("by", ["gz", "content"])
def test_download_a_data_set_into_the_user_cache(server, monkeypatch, by):
    url, root, requested = server
    monkeypatch.setitem(DATASETS, "fashion-mnist", fake_entry("fashion-mnist", root / "good", (url + "/good/",), by=by))
    seen: list[tuple[str, int, int]] = []
    dest = datasets.download_dataset("fashion-mnist", progress=False, on_progress=lambda *a: seen.append(a))
    assert dest == datasets.user_cache_dir("fashion-mnist") and dest.parent.name == "cnnviz"
    assert sorted(p.name for p in dest.iterdir()) == sorted([*datasets.MNIST_FILES, "class-names.txt"])
    assert (dest / "class-names.txt").read_text(encoding="utf-8").splitlines() == list(FASHION)
    # progress: every file, rising to its size
    last = {name: (done, total) for name, done, total in seen}
    assert set(last) == set(datasets.MNIST_FILES)
    assert all(done == total == (root / "good" / name).stat().st_size for name, (done, total) in last.items())
    loaded = data.load_data("fashion-mnist")
    assert loaded.class_names == FASHION and loaded.source == str(dest) and len(loaded.train_labels) == 300
    requested.clear()
    datasets.download_dataset("fashion-mnist", progress=False)  # all there and valid: nothing fetched
    assert requested == []
    for f in dest.iterdir():  # created as any file is (the umask), not 0600 as a temporary file
        assert f.stat().st_mode & 0o777 == 0o666 & ~_umask(), f


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize("case", ["another data set", "the same, other contents", "a partial file",
                                  "not gzipped", "other class names"])
def test_a_download_never_removes_or_replaces_a_file(server, monkeypatch, tmp_path, case):
    """A folder holding IDX files that are not a good copy of the data set asked for is refused in one sentence,
    before anything is fetched, and every file in it stays byte for byte (before, a download into a copy of MNIST's
    folder without a network deleted its training images)."""
    url, root, requested = server
    monkeypatch.setitem(DATASETS, "fashion-mnist", fake_entry("fashion-mnist", root / "good", (url + "/good/",)))
    folder = tmp_path / "mine"
    small_set(folder, 30, 10, seed=1)  # the user's own data: not the fashion-mnist files the server has
    (folder / "notes.txt").write_text("mine")
    expected = "which is not a copy of Fashion-MNIST's"
    if case == "another data set":
        monkeypatch.setitem(DATASETS, "kmnist", fake_entry("kmnist", folder, (url + "/kmnist/",)))
        expected = "which is KMNIST's, not Fashion-MNIST's"
    elif case in ("the same, other contents", "a partial file", "other class names"):
        for f in datasets.MNIST_FILES:
            (folder / f).write_bytes((root / "good" / f).read_bytes())
        if case == "a partial file":
            (folder / "t10k-images-idx3-ubyte.gz").write_bytes((root / "good/t10k-images-idx3-ubyte.gz").read_bytes()[:99])
        elif case == "the same, other contents":
            (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(b"\0" * 18, mtime=1))
        else:
            (folder / "class-names.txt").write_text("".join(f"c{i}\n" for i in range(10)))
    else:  # the user's files uncompressed: MNIST's .gz files would land beside them and be used instead
        for f in datasets.MNIST_FILES:
            (folder / f.removesuffix(".gz")).write_bytes(gzip.decompress((folder / f).read_bytes()))
            (folder / f).unlink()
    before = _contents(folder)
    with pytest.raises(DataError) as err:
        datasets.download_dataset("fashion-mnist", folder, progress=False)
    if case == "other class names":
        assert str(err.value) == (f"{folder / 'class-names.txt'} names other classes than Fashion-MNIST's; a download "
                                  "never replaces a file: download Fashion-MNIST into another folder.")
    else:
        assert str(err.value).startswith(f"{folder} already holds ") and expected in str(err.value)
        assert str(err.value).endswith("; a download never replaces a file: download Fashion-MNIST into another "
                                       "folder.")
    assert _contents(folder) == before and requested == []


def test_a_download_keeps_what_is_there_and_fetches_the_rest(server, monkeypatch, tmp_path):
    """Good copies are kept (not fetched again), also uncompressed; other files are left alone."""
    url, root, requested = server
    monkeypatch.setitem(DATASETS, "fashion-mnist", fake_entry("fashion-mnist", root / "good", (url + "/good/",)))
    folder = tmp_path / "partly"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    (folder / "train-images-idx3-ubyte.gz").write_bytes((root / "good/train-images-idx3-ubyte.gz").read_bytes())
    (folder / "t10k-labels-idx1-ubyte").write_bytes(gzip.decompress((root / "good/t10k-labels-idx1-ubyte.gz")
                                                                    .read_bytes()))
    before = _contents(folder)
    datasets.download_dataset("fashion-mnist", folder, progress=False)
    assert sorted(requested) == ["/good/t10k-images-idx3-ubyte.gz", "/good/train-labels-idx1-ubyte.gz"]
    after = _contents(folder)
    assert {name: after[name] for name in before} == before
    assert sorted(after) == sorted([*before, "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                                    "class-names.txt"])
    assert data.load_mnist_dir(folder).class_names == FASHION


def test_sigterm_during_a_download_leaves_no_temporary_file(tmp_path, monkeypatch):
    """``cnnviz download`` ended by SIGTERM in the middle of a file: one line, and nothing partial left behind."""
    no_proxy(monkeypatch)
    root = tmp_path / "www"
    small_set(root / "good", n_train=600)  # 470 KB of training images: over a second from the slow server
    folder = tmp_path / "into"
    script = ("import sys; from tests.test_datasets import fake_entry; from cnnviz import datasets; "
              "from cnnviz.cli import main; from pathlib import Path; "
              "datasets.DATASETS['kmnist'] = fake_entry('kmnist', Path(sys.argv[1]), (sys.argv[2],)); "
              "sys.exit(main(['download', '--dataset', 'kmnist', '--quiet', sys.argv[3]]))")
    with serving(root, SlowHandler) as (url, _):
        process = subprocess.Popen([sys.executable, "-c", script, str(root / "good"), url + "/good/", str(folder)],
                                   cwd=Path(__file__).parent.parent, stderr=subprocess.PIPE, text=True)
        parts = lambda: list(folder.glob(".*.part")) if folder.is_dir() else []  # noqa: E731
        wait_until(lambda: parts() and parts()[0].stat().st_size > 0, timeout=60)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and err == "cnnviz: interrupted.\n"
    assert list(folder.iterdir()) == []


def test_a_file_that_fails_its_check_is_not_kept(server, monkeypatch):
    url, root, _ = server
    entry = fake_entry("kmnist", root / "good", (url + "/bad/", closed_port_url(), url + "/good/"))
    monkeypatch.setitem(DATASETS, "kmnist", entry)
    for f in entry.files:  # bad/ serves the same content, gzipped again: other .gz bytes
        (root / "bad" / f.name).write_bytes(gzip.compress(gzip.decompress((root / "good" / f.name).read_bytes()),
                                                          mtime=1))
    dest = datasets.download_dataset("kmnist", progress=False)
    assert data.load_mnist_dir(dest).class_names == entry.class_names
    for f in entry.files:
        assert (dest / f.name).read_bytes() == (root / "good" / f.name).read_bytes()
    monkeypatch.setitem(DATASETS, "kmnist", dataclasses.replace(entry, mirrors=(url + "/bad/", url + "/missing/")))
    (dest / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataError) as err:
        datasets.download_dataset("kmnist", progress=False)
    assert str(err.value) == (f"Could not download a valid t10k-labels-idx1-ubyte.gz from any mirror: "
                              f"{url}/bad/t10k-labels-idx1-ubyte.gz (content does not match its checksum), "
                              f"{url}/missing/t10k-labels-idx1-ubyte.gz (HTTP 404).")
    # nothing partial left (temporary files): the other files, and no t10k labels
    assert sorted(p.name for p in dest.iterdir()) == sorted({*datasets.MNIST_FILES, "class-names.txt"}
                                                            - {"t10k-labels-idx1-ubyte.gz"})


def test_a_cancelled_download_leaves_no_partial_file(server, monkeypatch):
    url, root, requested = server
    monkeypatch.setitem(DATASETS, "fashion-mnist", fake_entry("fashion-mnist", root / "good", (url + "/good/",)))
    dest = datasets.user_cache_dir("fashion-mnist")
    asked, seen = [], []

    def cancelled() -> bool:  # asked before every mirror and after every chunk: yes after the second chunk
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(DownloadCancelled):
        datasets.download_dataset("fashion-mnist", progress=False, on_progress=lambda *a: seen.append(a),
                                  cancelled=cancelled)
    size = (root / "good/train-images-idx3-ubyte.gz").stat().st_size
    assert size > 2 * datasets.CHUNK and seen == [("train-images-idx3-ubyte.gz", datasets.CHUNK, size)]
    assert list(dest.iterdir()) == []  # its temporary file is gone
    with pytest.raises(DataError) as err:
        data.load_data("fashion-mnist")
    assert str(err.value) == (f"Fashion-MNIST is not downloaded (looked in {dest}): run `cnnviz download --dataset "
                              "fashion-mnist`, or add --download.")
    requested.clear()  # cancelled before it starts: no mirror is asked
    with pytest.raises(DownloadCancelled):
        datasets.download_dataset("fashion-mnist", progress=False, cancelled=lambda: True)
    assert requested == [] and list(dest.iterdir()) == []


@pytest.mark.parametrize("error, why", [(PermissionError(errno.EACCES, "Permission denied"), "Permission denied"),
                                        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device")])
def test_a_destination_that_cannot_be_written_is_one_sentence(server, monkeypatch, error, why):
    """The temporary file cannot be made (no permission, or a full disk)."""
    url, root, requested = server
    monkeypatch.setitem(DATASETS, "fashion-mnist", fake_entry("fashion-mnist", root / "good", (url + "/good/",)))
    dest = datasets.user_cache_dir("fashion-mnist")

    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(datasets, "temporary_path", refuse)
    with pytest.raises(DataError) as err:
        datasets.download_dataset("fashion-mnist", progress=False)
    assert str(err.value) == f"Cannot write to {dest} to download Fashion-MNIST ({why})."
    assert requested == [] and list(dest.iterdir()) == []


@pytest.mark.parametrize("by", ["gz", "content"])
def test_progress_on_the_command_line(server, monkeypatch, capfd, by):
    """Each URL tried, and pooch's bar for the one that serves the file, on standard error; none of pooch's log."""
    url, root, _ = server
    monkeypatch.setitem(DATASETS, "kmnist", fake_entry("kmnist", root / "good", (url + "/missing/", url + "/good/"),
                                                       by=by))
    datasets.download_dataset("kmnist")
    out, err = capfd.readouterr()
    assert out == ""
    lines = [line for line in err.replace("\r", "\n").splitlines() if line.startswith("Downloading")]
    assert lines == [f"Downloading {url}/{m}/{f}" for f in datasets.MNIST_FILES for m in ("missing", "good")]
    assert err.count("100%|") == 4 and "SHA256" not in err and "pooch" not in err.lower()


def test_a_name_is_the_cache_copy_unless_a_directory_has_it(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    small_set(tmp_path / "cache" / "cnnviz" / "kmnist", 10, 5)
    assert data.load_data("kmnist").source == str(tmp_path / "cache" / "cnnviz" / "kmnist")
    small_set(tmp_path / "kmnist", 12, 5)
    monkeypatch.chdir(tmp_path)
    assert data.load_data("kmnist").source == "kmnist"  # ./kmnist, as before names existed


# -- class names in sessions -------------------------------------------------------------------------------------

def test_a_session_records_its_class_names_and_an_old_one_shows_digits(tmp_path):
    from cnnviz.config import make_config
    from cnnviz.session import SessionError, SessionReader, SessionWriter
    from cnnviz.training import Trainer

    directory = small_set(tmp_path / "fashion", 40, 20)
    (directory / "class-names.txt").write_text("\n".join(FASHION), encoding="utf-8")
    config = make_config(conv=(2,), fc=(8, 10), epochs=1, batch_size=20, threads=1)
    path = tmp_path / "run.h5"
    with SessionWriter(path) as writer:
        for record in Trainer(config, data.load_data(str(directory))).run():
            writer.write(record)
    with h5py.File(path, "r") as f:
        assert [n.decode() if isinstance(n, bytes) else n for n in f.attrs["class_names"]] == list(FASHION)
    with SessionReader(path) as reader:
        assert reader.class_names == FASHION and reader.start_record().class_names == FASHION
    old = Path(__file__).parent / "data" / "session-v1.h5"
    with SessionReader(old) as reader:
        assert reader.class_names == tuple("0123456789")
    with h5py.File(path, "a") as f:
        f.attrs["class_names"] = ["a", "b"]
    with pytest.raises(SessionError, match="its 'class_names' attribute is not 10 names"):
        SessionReader(path)


def test_a_data_source_is_described_one_way_and_read_back():
    sample = datasets.DataSource.sample(2000, 1000)
    assert sample.describe() == "bundled sample (2000 train / 1000 test)" == data.load_sample().source
    assert datasets.DataSource.parse(sample.describe()) == sample and sample.is_sample and sample.spec == "sample"
    assert datasets.DataSource.parse("bundled sample").is_sample  # counts or not, it is the sample
    folder = datasets.DataSource.parse("/data/mnist")
    assert folder == datasets.DataSource("/data/mnist") and not folder.is_sample and folder.spec == "/data/mnist"
    assert folder.describe() == "/data/mnist"
    # a session records the directory made absolute too: it wins; the sample has none
    assert datasets.DataSource.recorded("mnist", "/home/me/mnist").spec == "/home/me/mnist"
    assert datasets.DataSource.recorded("mnist", None).spec == "mnist"
    assert datasets.DataSource.recorded(sample.describe(), None) == sample
