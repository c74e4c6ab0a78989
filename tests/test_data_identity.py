"""A session records what identifies its data (the SHA-256 of each split's images and labels), and what reads the
data again checks it: a fork refuses its parent's folder once it changed (it trained on a folder shrunk from 1,000
to 200 images without a word, its epochs shifted), ``predict`` refuses test images that changed, and a replay falls
back to the probe images stored in the session. A session written before cnnviz recorded digests says so once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from cnnviz.cli import main
from cnnviz.data import digest, load_mnist_dir, load_sample
from cnnviz.errors import DataError
from cnnviz.session import SessionReader

V2 = Path(__file__).parent / "data" / "session-v2.h5"
RUN = ["--conv", "2", "--fc", "8", "--batch-size", "100", "--epochs", "2", "--threads", "1", "--quiet"]


def write_folder(folder: Path, train: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray]) -> Path:
    """The four IDX files of a data set in ``folder`` (replacing those there)."""
    folder.mkdir(exist_ok=True)
    for prefix, (images, labels) in (("train", train), ("t10k", test)):
        for kind, array in (("images-idx3", images), ("labels-idx1", labels)):
            header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
            (folder / f"{prefix}-{kind}-ubyte").write_bytes(header + array.astype(np.uint8).tobytes())
    return folder


@pytest.fixture(scope="module")
def parent(tmp_path_factory) -> tuple[Path, Path]:
    """A session trained on a folder of 1,000 training and 100 test images of the sample: (session, folder)."""
    root = tmp_path_factory.mktemp("identity")
    s = load_sample()
    folder = write_folder(root / "data", (s.train_images[:1000], s.train_labels[:1000]),
                          (s.test_images[:100], s.test_labels[:100]))
    path = root / "parent.h5"
    assert main(["train", "--data", str(folder), *RUN, "--out", str(path)]) == 0
    return path, folder


def changed_copy(folder: Path, tmp_path: Path, n_train: int = 1000, pixel: bool = False, test_label: bool = False
                 ) -> Path:
    data = load_mnist_dir(folder)
    train_images, test_labels = data.train_images[:n_train].copy(), data.test_labels.copy()
    if pixel:
        train_images[500, 14, 14] ^= 1  # one bit of one pixel
    if test_label:
        test_labels[40] = (test_labels[40] + 1) % 10
    return write_folder(tmp_path / "data", (train_images, data.train_labels[:n_train]),
                        (data.test_images, test_labels))


def test_the_session_records_its_datas_digests(parent):
    path, folder = parent
    data = load_mnist_dir(folder)
    with SessionReader(path) as reader:
        assert reader.data_digests == data.digests() == {
            "train_sha256": digest(data.train_images, data.train_labels),
            "test_sha256": digest(data.test_images, data.test_labels)}
        assert json.loads(reader._file.attrs["config"])["data"]["train_sha256"] == data.digests()["train_sha256"]
    assert digest(data.train_images[:999], data.train_labels[:999]) != data.digests()["train_sha256"]


@pytest.mark.parametrize(("change", "words"), [
    ({"n_train": 200}, "its training images (1,000 then, 200 now) are not those the session recorded"),
    ({"pixel": True}, "its training images are not those the session recorded"),
    ({"test_label": True}, "its test images are not those the session recorded"),
])
def test_a_fork_refuses_its_parents_folder_once_it_changed(parent, tmp_path, capsys, change, words):
    path, folder = parent
    local = tmp_path / "parent.h5"
    shutil.copy(path, local)
    changed = changed_copy(folder, tmp_path, **change)
    _point_at(local, changed)  # the copy's folder changed in place
    child = tmp_path / "child.h5"
    assert main(["train", "--from", str(local), "--epochs", "3", "--out", str(child)]) == 2
    err = capsys.readouterr().err
    assert err == f"cnnviz: {changed} is not the data parent.h5 was trained on: {words}; restore them to continue " \
                  "the run\n"
    assert not child.exists()
    from cnnviz.gui.fork import read_target  # the window's fork loads the parent's data the same way

    with pytest.raises(DataError, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_target(local, 20).load_data()


def _point_at(session: Path, folder: Path) -> None:
    """The session's recorded data folder made ``folder`` (as if the user had changed its folder in place)."""
    import h5py

    with h5py.File(session, "r+") as f:
        config = json.loads(f.attrs["config"])
        config["data"]["source"] = config["data"]["path"] = str(folder)
        f.attrs["config"] = json.dumps(config)


def test_a_fork_on_other_data_given_says_so(parent, tmp_path, capsys):
    path, folder = parent
    other = changed_copy(folder, tmp_path, pixel=True)
    child = tmp_path / "child.h5"
    assert main(["train", "--from", str(path), "--data", str(other), "--epochs", "3", "--out", str(child)]) == 0
    assert f"cnnviz: The fork trains on other data than its parent: the training images of {other} are not those " \
           "parent.h5 recorded." in capsys.readouterr().err.splitlines()


def test_an_unchanged_folder_forks(parent, tmp_path, capsys):
    path, _ = parent
    assert main(["train", "--from", str(path), "--epochs", "3", "--out", str(tmp_path / "child.h5")]) == 0
    assert "records no digest" not in capsys.readouterr().err


def test_predict_refuses_test_images_that_changed(parent, tmp_path, capsys):
    path, folder = parent
    local = tmp_path / "parent.h5"
    shutil.copy(path, local)
    _point_at(local, changed_copy(folder, tmp_path, test_label=True))
    assert main(["predict", str(local)]) == 2
    assert capsys.readouterr().err == f"cnnviz: {tmp_path / 'data'} is not the data parent.h5 was trained on: its " \
                                      "test images are not those the session recorded (give the data to evaluate " \
                                      "on with --data)\n"
    _point_at(local, changed_copy(folder, tmp_path, pixel=True))  # training images only: the test set is the same
    assert main(["predict", str(local)]) == 0
    assert capsys.readouterr().err == ""


def test_a_replay_falls_back_to_the_probe_images_when_the_test_images_changed(parent, tmp_path):
    from cnnviz.gui.replay import ReplaySource

    path, folder = parent
    with SessionReader(path) as reader:
        start = reader.start_record()
        images, labels, note = ReplaySource._test_set(reader, start, None)
        assert len(images) == 100 and note == ""
    probes = set(start.probe_indices.tolist())
    data = load_mnist_dir(folder)
    test_images = data.test_images.copy()
    other = next(i for i in range(100) if i not in probes)
    test_images[other, 10, 10] ^= 1  # not a probe image: only the digest can tell
    changed = write_folder(tmp_path / "data", (data.train_images, data.train_labels), (test_images, data.test_labels))
    local = tmp_path / "parent.h5"
    shutil.copy(path, local)
    _point_at(local, changed)
    with SessionReader(local) as reader:
        images, labels, note = ReplaySource._test_set(reader, start, None)
    assert images is None and note.startswith(f"Only the {len(probes)} probe images stored in the session can be "
                                              "chosen") and f"{changed} has other test images" in note


def test_an_older_session_without_digests_says_so_once(tmp_path, capsys):
    with SessionReader(V2) as reader:
        assert reader.data_digests == {}
    assert main(["predict", str(V2)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if "records no digest of its data" in line] == [
        "cnnviz: session-v2.h5 records no digest of its data (an older cnnviz wrote it): whether bundled sample "
        "(2000 train / 1000 test) holds the test images it was trained with cannot be checked."]
