"""Fuzzing both readers (hypothesis): IDX files (cnnviz.data.read_idx, load_mnist_dir) and session files
(SessionReader, and what `cnnviz info`, `export` and the replay read through it).

Inputs are random bytes, truncations and field changes of real files: IDX files made from the bundled sample,
and a small session written here. The only failure allowed is the reader's own one-sentence error (DataError,
SessionError); anything else (an IndexError, a numpy error, a MemoryError...) is a bug. Session files are
changed through h5py (datasets, attributes, the configuration's fields) and in their stored data bytes, not in
HDF5's own metadata: random bytes there can make the HDF5 library itself loop for minutes or crash, which no
reader of its own can prevent.

The example budgets are fixed and small and the examples derandomised, so that the whole file runs in a few
seconds and every run tries the same inputs.
"""

from __future__ import annotations

import gzip
import json
import shutil
import struct
from pathlib import Path

import h5py
import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cnnviz.config import make_config
from cnnviz.data import DataError, load_mnist_dir, load_sample, read_idx
from cnnviz.session import SessionError, SessionReader, SessionWriter
from cnnviz.session_cli import _describe, summary
from cnnviz.training import Trainer

FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])


def assert_one_sentence(error: Exception, path: Path) -> None:
    message = str(error)
    assert str(path) in message and "\n" not in message and message.endswith("."), message


# -- IDX files -------------------------------------------------------------------------------------------------

def idx_bytes(array: np.ndarray) -> bytes:
    return bytes([0, 0, 8, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


SAMPLE = load_sample()
IMAGES = idx_bytes(SAMPLE.test_images[:3])  # 3 x 28 x 28
LABELS = idx_bytes(SAMPLE.test_labels[:3])
REAL = [IMAGES, LABELS]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def read_checked(path: Path, raw: bytes, gz: bool):
    """read_idx of ``raw`` (gzipped if asked): an array the header describes, or a one-sentence DataError."""
    path.write_bytes(gzip.compress(raw, mtime=0) if gz else raw)
    try:
        array = read_idx(path)
    except DataError as e:
        assert_one_sentence(e, path)
        return None
    ndim = raw[3]
    shape = struct.unpack(f">{ndim}I", raw[4:4 + 4 * ndim])
    assert array.shape == shape and array.dtype.isnative
    return array


@FUZZ
@given(raw=st.binary(max_size=64), gz=st.booleans())
def test_idx_random_bytes(scratch, raw, gz):
    read_checked(scratch / "random.idx", raw, gz)


@FUZZ
@given(which=st.sampled_from([0, 1]), cut=st.integers(0, len(IMAGES)), gz=st.booleans())
def test_idx_truncations(scratch, which, cut, gz):
    raw = REAL[which]
    cut = min(cut, len(raw))
    assert (read_checked(scratch / "truncated.idx", raw[:cut], gz) is None) == (cut < len(raw))


@FUZZ
@given(which=st.sampled_from([0, 1]), gz=st.booleans(),
       changes=st.lists(st.tuples(st.integers(0, 15), st.integers(0, 255)), min_size=1, max_size=4),
       sizes=st.none() | st.lists(st.sampled_from([0, 1, 3, 4, 28, 784, 2**16, 2**31 - 1, 2**31, 2**32 - 1]),
                                  min_size=1, max_size=3),
       keep_data=st.booleans(), tail=st.binary(max_size=8))
def test_idx_field_changes(scratch, which, gz, changes, sizes, keep_data, tail):
    """The header's fields changed: magic, type code, number of dimensions, sizes (up to 2^32 - 1 each, with
    the data kept or dropped); bytes added at the end."""
    raw = bytearray(REAL[which])
    if sizes is not None:  # new dimensions
        raw = bytearray(raw[:3] + bytes([len(sizes)]) + struct.pack(f">{len(sizes)}I", *sizes) +
                        (raw[4 + 4 * raw[3]:] if keep_data else b""))
    for position, value in changes:
        if position < len(raw):
            raw[position] = value
    read_checked(scratch / "changed.idx", bytes(raw) + tail, gz)


@FUZZ
@given(code=st.sampled_from([0x08, 0x0B, 0x0E]),
       sizes=st.lists(st.sampled_from([0, 1, 2, 4, 2**31, 2**32 - 1]), min_size=1, max_size=4),
       payload=st.sampled_from([0, 1, 16]), gz=st.booleans())
def test_idx_headers_with_sizes_near_the_limits(scratch, code, sizes, payload, gz):
    """Sizes whose product passes 2^63 or 2^64 (wrapping, in fixed-size integers), with or without a 0 among
    them, and little or no data: each is an array of what the file holds or a DataError, never a numpy error."""
    raw = bytes([0, 0, code, len(sizes)]) + struct.pack(f">{len(sizes)}I", *sizes) + bytes(payload)
    read_checked(scratch / "limits.idx", raw, gz)


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(name=st.sampled_from(["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                             "t10k-labels-idx1-ubyte"]),
       shape=st.lists(st.integers(0, 6), min_size=1, max_size=4), code=st.sampled_from([0x08, 0x09, 0x0B, 0x0D]))
def test_a_folder_with_one_file_changed(scratch, name, shape, code):
    """Any well-formed IDX file in place of one of the four: the folder loads as a data set or is one sentence."""
    folder = scratch / "folder"
    folder.mkdir(exist_ok=True)
    for prefix, images in (("train", SAMPLE.train_images[:5]), ("t10k", SAMPLE.test_images[:4])):
        labels = SAMPLE.train_labels[:5] if prefix == "train" else SAMPLE.test_labels[:4]
        (folder / f"{prefix}-images-idx3-ubyte").write_bytes(idx_bytes(images))
        (folder / f"{prefix}-labels-idx1-ubyte").write_bytes(idx_bytes(labels))
    itemsize = {0x08: 1, 0x09: 1, 0x0B: 2, 0x0D: 4}[code]
    values = bytes((i * 7) % 256 for i in range(int(np.prod(shape)) * itemsize))
    (folder / name).write_bytes(bytes([0, 0, code, len(shape)]) + struct.pack(f">{len(shape)}I", *shape) + values)
    try:
        data = load_mnist_dir(folder)
    except DataError as e:
        assert str(folder) in str(e) and "\n" not in str(e)
        return
    assert data.train_images.shape[1:] == data.test_images.shape[1:]
    assert len(data.train_images) == len(data.train_labels) and len(data.test_images) == len(data.test_labels)


# -- session files ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Path:
    """A small complete session: 2 steps of 50 images, 3 snapshots, an evaluation, a learning-rate event."""
    path = tmp_path_factory.mktemp("session") / "small.h5"
    config = make_config("lecture", conv=(2,), fc=(8, 10), epochs=1, batch_size=50, snapshot_every=1, threads=1,
                         n_probes=4)
    trainer = Trainer(config, SAMPLE.limited(100, 30))
    with SessionWriter(path) as writer:
        for record in trainer.run():
            writer.write(record)
            if type(record).__name__ == "StepRecord" and record.step == 1:
                trainer.control.set_lr(0.02)
    return path


def read_everything(path: Path) -> None:
    """Open ``path`` and read all of it the ways the commands and the replay do; only SessionError may stop it."""
    try:
        with SessionReader(path) as reader:
            _describe(summary(reader), reader)  # what `cnnviz info` prints
            records = list(reader.records())
            assert type(records[0]).__name__ == "RunStart" and type(records[-1]).__name__ == "RunEnd"
            reader.metrics(), reader.evals(), reader.events(), reader.probe()
            for i in range(reader.n_predictions):
                predicted, confidence = reader.predictions(i)
                assert len(predicted) == len(confidence) == reader.n_test
            if reader.n_snapshots:
                with np.errstate(all="ignore"):  # fuzzed weights may be NaN or inf: the pass runs, warnings aside
                    reader.network(-1).predict_proba(np.zeros((1, *reader.train_config.network.input_shape),
                                                              reader.dtype))
                for i in range(reader.n_snapshots):
                    reader.train_state(i)  # what a fork continues from
                reader.fork_point()
            assert_sane(reader)
    except SessionError as e:
        assert_one_sentence(e, path)


def assert_sane(reader: SessionReader) -> None:
    """What a reader returned without complaint can be shown, exported and continued from as it is."""
    metrics, evals = reader.metrics(), reader.evals()
    for fraction in (metrics["accuracy"], evals["test_accuracy"]):
        assert np.all(np.isnan(fraction) | ((fraction >= 0) & (fraction <= 1)))
    assert np.all(evals["confusion"] >= 0) and np.all(np.diff(metrics["step"]) > 0)
    steps = reader.snapshot_steps
    assert np.all(steps >= 0) and np.all(np.diff(steps) >= 0) and np.all(metrics["lr"] >= 0)
    assert reader.n_steps == 0 or reader.steps_per_epoch >= 1


@FUZZ
@given(raw=st.binary(max_size=600))
def test_session_random_bytes(scratch, raw):
    path = scratch / "random.h5"
    path.write_bytes(b"\x89HDF\r\n\x1a\n" + raw if raw[:1] == b"\x00" else raw)  # half of them look like HDF5
    read_everything(path)


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(fraction=st.floats(0, 1, exclude_max=True))
def test_session_truncations(scratch, session, fraction):
    raw = session.read_bytes()
    path = scratch / "truncated.h5"
    path.write_bytes(raw[:int(len(raw) * fraction)])
    with pytest.raises(SessionError) as info:
        SessionReader(path)
    assert_one_sentence(info.value, path)


def datasets_of(path: Path) -> list[str]:
    names: list[str] = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
    return sorted(names)


DTYPES = st.sampled_from([np.int8, np.uint8, np.int32, np.int64, np.uint64, np.float32, np.float64, np.bool_,
                          np.dtype("S3")])
ARRAYS = hnp.arrays(DTYPES, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5))
ATTRIBUTE_VALUES = (st.integers(-2**63, 2**63 - 1) | st.floats(allow_nan=True)
                    | st.text(st.characters(blacklist_characters="\x00"), max_size=8)  # h5py stores no NUL
                    | hnp.arrays(np.int64, st.integers(0, 3)) | st.sampled_from(["complete", "running", "failed"]))


@pytest.fixture(scope="module")
def names(session) -> list[str]:
    return datasets_of(session)


@FUZZ
@given(data=st.data())
def test_session_dataset_changes(scratch, session, names, data):
    """One dataset replaced by an array of any type and shape, resized, deleted, or filled with other values."""
    name = data.draw(st.sampled_from(names), label="dataset")
    action = data.draw(st.sampled_from(["replace", "resize", "delete", "values"]), label="action")
    path = scratch / "changed.h5"
    shutil.copyfile(session, path)
    with h5py.File(path, "r+") as f:
        ds = f[name]
        if action == "replace":
            del f[name]
            f[name] = data.draw(ARRAYS, label="array")
        elif action == "resize":
            assume(ds.maxshape and ds.maxshape[0] is None)
            ds.resize(data.draw(st.integers(0, ds.shape[0] + 3), label="rows"), axis=0)
        elif action == "delete":
            del f[name]
        else:
            assume(h5py.check_string_dtype(ds.dtype) is None)
            ds[...] = data.draw(hnp.arrays(ds.dtype, ds.shape), label="values")
    read_everything(path)


ODD_NUMBERS = st.sampled_from([-1, -7, 0, 1, 2, 3, 7.5, 5.0, 1e12, -1e-3, float("nan"), float("inf"), float("-inf")])
ODD_WORDS = st.sampled_from(["", "exponential", "constant", "cosine", "complete", "PCG64", "x" * 300, "über",
                             '{"bit_generator": "MT19937", "state": {}}', "[]", "{}", "null"])


@FUZZ
@given(data=st.data())
def test_session_one_value_changed(scratch, session, names, data):
    """One stored value set to another of its type (out of range, out of order, an unknown word), two rows swapped,
    or a dataset made a link into another file: a correct result (:func:`assert_sane`) or the one sentence."""
    name = data.draw(st.sampled_from(names), label="dataset")
    action = data.draw(st.sampled_from(["value", "swap", "link"]), label="action")
    path = scratch / "value.h5"
    shutil.copyfile(session, path)
    with h5py.File(path, "r+") as f:
        ds = f[name]
        if action == "link":
            other = scratch / "other.h5"
            with h5py.File(other, "w") as o:
                o["x"] = ds[()]
            del f[name]
            f[name] = h5py.ExternalLink(str(other), "/x")
        elif action == "swap":
            assume(ds.ndim and ds.shape[0] >= 2)
            i, j = data.draw(st.lists(st.integers(0, ds.shape[0] - 1), min_size=2, max_size=2, unique=True),
                             label="rows")
            ds[i], ds[j] = ds[j], ds[i]
        else:
            assume(ds.size > 0)
            at = tuple(data.draw(st.integers(0, n - 1), label=f"index {k}") for k, n in enumerate(ds.shape))
            if h5py.check_string_dtype(ds.dtype) is not None:
                ds[at] = data.draw(ODD_WORDS, label="word")
            else:
                value = data.draw(ODD_NUMBERS, label="value")
                if ds.dtype.kind in "iu":
                    assume(np.isfinite(value) and float(value).is_integer()
                           and np.iinfo(ds.dtype).min <= value <= np.iinfo(ds.dtype).max)
                    value = int(value)
                ds[at] = value
    read_everything(path)


@FUZZ
@given(data=st.data())
def test_session_attribute_changes(scratch, session, data):
    """An attribute of the file or of a group set to another value (of any type) or deleted."""
    where = data.draw(st.sampled_from(["/", "metrics", "eval", "params", "predictions", "events"]), label="where")
    path = scratch / "attribute.h5"
    shutil.copyfile(session, path)
    with h5py.File(path, "r+") as f:
        attrs = f[where].attrs
        name = data.draw(st.sampled_from(sorted(attrs.keys())), label="attribute")
        if data.draw(st.booleans(), label="delete"):
            del attrs[name]
        else:
            attrs[name] = data.draw(ATTRIBUTE_VALUES, label="value")
    read_everything(path)


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False)
                           | st.text(max_size=6),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                        max_size=3),
                           max_leaves=6)


def json_paths(value, prefix=()) -> list[tuple]:
    """Every path to a value inside a JSON document (dict keys and list indices)."""
    paths = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            paths += json_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            paths += json_paths(item, (*prefix, i))
    return paths


@FUZZ
@given(data=st.data())
def test_session_configuration_changes(scratch, session, data):
    """One field of the configuration (the architecture, the hyperparameters, the data) set to any JSON value
    (numbers near the real ones too) or removed."""
    path = scratch / "config.h5"
    shutil.copyfile(session, path)
    with h5py.File(path, "r+") as f:
        config = json.loads(f.attrs["config"])
        where = data.draw(st.sampled_from(json_paths(config)[1:]), label="field")
        parent = config
        for key in where[:-1]:
            parent = parent[key]
        old = parent[where[-1]]
        near = [old + 1, old - 1, 0, -old, old * 1000] if isinstance(old, int) and not isinstance(old, bool) else []
        if data.draw(st.booleans(), label="remove") and isinstance(parent, dict):
            del parent[where[-1]]
        else:
            parent[where[-1]] = data.draw(st.sampled_from(near) | JSON_VALUES if near else JSON_VALUES, label="new")
        f.attrs["config"] = json.dumps(config)
    read_everything(path)


@FUZZ
@given(data=st.data())
def test_session_stored_bytes_changed(scratch, session, names, data):
    """Bytes of a dataset's stored data (a compressed snapshot, the predictions, a series) overwritten."""
    path = scratch / "bytes.h5"
    shutil.copyfile(session, path)
    with h5py.File(path, "r") as f:
        regions = []
        for name in names:
            ds = f[name]
            if ds.chunks is None:
                offset = ds.id.get_offset()
                if offset is not None:
                    regions.append((offset, ds.id.get_storage_size()))
            else:
                for i in range(ds.id.get_num_chunks()):
                    info = ds.id.get_chunk_info(i)
                    regions.append((info.byte_offset, info.size))
    offset, size = data.draw(st.sampled_from([r for r in regions if r[1] > 0]), label="region")
    changes = data.draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, 255)), min_size=1, max_size=8),
                        label="changes")
    raw = bytearray(path.read_bytes())
    for position, value in changes:
        raw[offset + position] = value
    path.write_bytes(bytes(raw))
    read_everything(path)
