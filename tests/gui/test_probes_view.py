"""The probe history view: each probe image's probability of its true class at every snapshot, as a heat map."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtGui import QImage

from cnnviz.cli import main
from cnnviz.data import example_session_path
from cnnviz.gui import render
from cnnviz.gui.layouts import leaves, task, view_class
from cnnviz.gui.memory import read, remembered_widgets, write
from cnnviz.gui.model import RunModel
from cnnviz.gui.replay import ReplaySource
from cnnviz.gui.views.probes import CMAP, ProbeHistoryView, first_right
from cnnviz.records import SnapshotRecord
from cnnviz.session import SessionReader
from tests.gui.helpers import click, fed_model, hover, run_records, shown, started_model

EXAMPLE = example_session_path()
V1 = "tests/data/session-v1.h5"


@pytest.fixture(scope="module")
def run():
    """8 steps of 50 images, a snapshot every step: 9 snapshots of 16 probe images."""
    return run_records(400, 60, snapshot_every=1)


def snapshot_probs(records) -> np.ndarray:
    """(S, P, k) from the records themselves."""
    return np.stack([r.probe_probs for r in records if isinstance(r, SnapshotRecord)])


def expected_pixels(probs: np.ndarray, labels: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Row r, column i: the probability of row r's probe's true class at snapshot i, by loops."""
    out = np.zeros((len(order), len(probs)))
    for r, p in enumerate(order):
        for i in range(len(probs)):
            out[r, i] = probs[i, p, labels[p]]
    return out


def first_right_by_loops(probs: np.ndarray, labels: np.ndarray) -> list[int]:
    firsts = []
    for p in range(probs.shape[1]):
        firsts.append(next((i for i in range(len(probs)) if np.isfinite(probs[i, p]).all()
                            and int(np.argmax(probs[i, p])) == labels[p]), -1))
    return firsts


def marked_cells(view) -> set[tuple[int, int]]:
    """(row, column) of the first-right marks."""
    x, y = view.marks.getData()
    return {(int(r), int(c)) for r, c in zip(np.floor(y), np.floor(x))}


def test_the_heat_map_is_each_probes_probability_of_its_true_class_at_every_snapshot(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, ProbeHistoryView(model))
    probs = snapshot_probs(records)
    start = records[0]
    labels = np.asarray(start.probe_labels)
    assert probs.shape == (9, 16, 10)
    np.testing.assert_array_equal(model.probe_probs(), probs)
    drawn = view.heat.image
    assert drawn.shape == (16, 9)  # probes down, snapshots across
    np.testing.assert_array_equal(drawn, expected_pixels(probs, labels, np.arange(16)))
    np.testing.assert_array_equal(view.pixels(), drawn)
    assert view.heat.getLevels().tolist() == [0.0, 1.0]
    assert tuple(view.bar.levels()) == (0.0, 1.0)
    # Each row is labelled with its true class and its image's thumbnail, in the run's order.
    assert [text for text, _ in view.labels.rows] == [str(int(t)) for t in labels]
    thumb = view.labels.rows[3][1].toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    assert (thumb.width(), thumb.height()) == (28, 28)
    assert bytes(thumb.constBits())[:28 * 28] == np.ascontiguousarray(start.probe_images[3]).tobytes()
    # The bottom axis reads the snapshots' steps at their columns.
    assert view.axis.tickStrings([0.5, 4.5, 8.5], 1, 1) == [str(s) for s in model.snapshots.steps[::4]]
    # The cursor: the shown (last) snapshot's column.
    assert view.cursor.isVisible() and view.cursor.value() == 8.5
    assert view.summary.text().startswith(f"Step {model.snapshots.steps[-1]} (snapshot 9/9): ")


def test_the_first_right_marks_are_at_the_first_snapshot_whose_argmax_is_the_true_class(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, ProbeHistoryView(model))
    probs, labels = snapshot_probs(records), np.asarray(records[0].probe_labels)
    firsts = first_right_by_loops(probs, labels)
    assert any(f > 0 for f in firsts), "some probe image is learned during the run"
    assert view.first.tolist() == firsts
    assert marked_cells(view) == {(r, f) for r, f in enumerate(firsts) if f >= 0}
    right_now = int(sum(int(np.argmax(probs[-1, p])) == labels[p] for p in range(16)))
    ever = sum(f >= 0 for f in firsts)
    assert view.summary.text().endswith(f"{right_now} of 16 right; {ever} of 16 right at some snapshot")


def test_first_right_by_hand():
    probs = np.array([[[0.6, 0.4], [0.7, 0.3], [np.nan, np.nan]],
                      [[0.2, 0.8], [0.9, 0.1], [np.nan, np.nan]],
                      [[0.1, 0.9], [0.4, 0.6], [0.5, 0.5]]])  # 3 snapshots of 3 probes, 2 classes
    labels = np.array([1, 0, 1])
    # Probe 0 right from snapshot 1; probe 1 right at 0 (wrong later: the first counts); probe 2 never (NaN, then
    # a tie that argmax gives to class 0).
    assert first_right(probs, labels).tolist() == [1, 0, -1]
    assert first_right(np.zeros((0, 3, 2)), labels).tolist() == [-1, -1, -1]


def test_the_rows_can_be_ordered_by_when_each_probe_was_first_right(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, ProbeHistoryView(model))
    probs, labels = snapshot_probs(records), np.asarray(records[0].probe_labels)
    firsts = np.array(first_right_by_loops(probs, labels))
    assert "order_box" in remembered_widgets(view)  # the window remembers this choice between starts
    assert write(view.order_box, "first right") and read(view.order_box) == "first right"
    order = sorted(range(16), key=lambda p: (firsts[p] if firsts[p] >= 0 else 99, p))
    assert view.order.tolist() == order
    np.testing.assert_array_equal(view.heat.image, expected_pixels(probs, labels, np.array(order)))
    assert [text for text, _ in view.labels.rows] == [str(int(labels[p])) for p in order]
    assert marked_cells(view) == {(r, int(firsts[p])) for r, p in enumerate(order) if firsts[p] >= 0}
    assert not write(view.order_box, "alphabetical")  # a value it cannot hold is left out
    assert view.order_box.currentText() == "first right"


def test_clicking_a_cell_moves_the_timeline_to_its_snapshot_and_selects_its_image(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, ProbeHistoryView(model))
    start = records[0]
    assert model.selection.image == int(start.probe_indices[0])
    row, col = 5, 3
    click(qtbot, view.plot, view.scene_pos(row, col))
    assert model.step == model.snapshots.steps[col] and model.snapshot_index == col
    assert model.selection.image == int(start.probe_indices[5])
    assert not model.following
    assert view.cursor.value() == col + 0.5
    assert view.selected_row() == row and view.labels.chosen == row
    assert view.outline.isVisible() and view.outline.rect().getRect() == (0, row, 9, 1)
    # Clicking a row's label selects the image, leaving the timeline where it is.
    label_pos = view.labels.mapToScene(view.labels.row_rect(7).center())
    click(qtbot, view.plot, label_pos)
    assert model.selection.image == int(start.probe_indices[7]) and model.step == model.snapshots.steps[col]
    # Another view choosing an image that is not a probe: no row outlined.
    model.select(image=int(np.setdiff1d(np.arange(60), start.probe_indices)[0]))
    assert view.selected_row() is None and not view.outline.isVisible()


def test_hovering_a_cell_reads_probe_step_probability_and_prediction(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, ProbeHistoryView(model))
    start, probs = records[0], snapshot_probs(records)
    p, i = 9, 2
    hover(view.plot.scene(), view.scene_pos(p, i))
    t = int(start.probe_labels[p])
    y = probs[i, p]
    predicted = int(np.argmax(y))
    text = view.status.text()
    assert text.startswith(f"Test #{int(start.probe_indices[p]) + 1}, a {t}, step {model.snapshots.steps[i]} "
                           f"(snapshot {i + 1} of 9): p({t}) = {y[t]:.3f}, predicted {predicted} ({y[predicted]:.3f}, ")
    assert ("right" if predicted == t else "wrong") in text


def test_the_map_grows_with_a_live_run_fed_in_parts(qtbot, run):
    data, records = run
    model = started_model(data, records)
    model.snapshots.memory = 1  # the records leave memory at once: the view must not need them back
    snapshots = [r for r in records if isinstance(r, SnapshotRecord)]
    loads = []
    model.snapshots.set_loader(lambda i: loads.append(i) or snapshots[i])  # (the model's colour levels read them)
    view = shown(qtbot, ProbeHistoryView(model))
    view.redraw_interval = 0.05
    assert view.summary.text() == "No snapshot yet." and view.heat.image is None
    probs, labels = snapshot_probs(records), np.asarray(records[0].probe_labels)
    body = records[1:]
    for part in np.array_split(np.arange(len(body)), 3):
        model.feed([body[k] for k in part])
        n = len(model.snapshots)
        qtbot.waitUntil(lambda n=n: view.heat.image is not None and view.heat.image.shape[1] == n, timeout=2000)
        np.testing.assert_array_equal(view.heat.image, expected_pixels(probs[:n], labels, np.arange(16)))
        assert marked_cells(view) == {(r, f) for r, f in enumerate(first_right_by_loops(probs[:n], labels))
                                      if f >= 0}
        before = len(loads)
        view.redraw()
        assert len(loads) == before  # drawing read no snapshot back
    assert len(model.snapshots) == 9


def test_the_summary_follows_a_live_run_ahead_of_its_last_snapshot(qtbot, run):
    """While the cursor follows live parameters newer than every snapshot, the summary is of the last snapshot
    (it kept "Step 0 (snapshot 1/1)" beside a map of 5)."""
    data, records = run
    model = started_model(data, records)
    view = shown(qtbot, ProbeHistoryView(model))
    view.redraw_interval = 0.05
    snaps = [k for k, r in enumerate(records) if isinstance(r, SnapshotRecord)]
    model.feed(records[1:snaps[1]])
    qtbot.waitUntil(lambda: view.summary.text().startswith("Step 0 (snapshot 1/1): "), timeout=2000)
    for k in range(1, 5):
        model.feed(records[snaps[k - 1] + 1:snaps[k] + 1])  # drawn on the view's next turn
        model.set_live(dataclasses.replace(records[snaps[k]], step=records[snaps[k]].step + 1))  # newer parameters
        assert model.snapshot_index is None
        qtbot.waitUntil(lambda k=k: view.heat.image.shape[1] == k + 1, timeout=2000)
        assert view.summary.text().startswith(f"Step {model.snapshots.steps[k]} (snapshot {k + 1}/{k + 1}): ")


def test_a_growing_run_is_redrawn_at_most_every_redraw_interval(qtbot, run):
    data, records = run
    model = started_model(data, records)
    view = shown(qtbot, ProbeHistoryView(model))
    view.redraw_interval = 0.3
    snaps = [k for k, r in enumerate(records) if isinstance(r, SnapshotRecord)]
    model.feed(records[1:snaps[2]])  # two snapshots, just after the first drawing (no snapshot yet)
    assert view.heat.image is None and model.redraws.pending(view.redraw)  # drawn later, not now
    qtbot.waitUntil(lambda: view.heat.image is not None, timeout=2000)
    assert view.heat.image.shape[1] == 2
    model.feed(records[snaps[2]:snaps[3]])
    model.feed(records[snaps[3]:snaps[4]])
    assert view.heat.image.shape[1] == 2 and model.redraws.pending(view.redraw)
    qtbot.waitUntil(lambda: view.heat.image.shape[1] == 4, timeout=2000)  # both parts in one drawing


def test_a_hidden_view_draws_when_shown(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = ProbeHistoryView(model)
    qtbot.addWidget(view)
    assert view.heat.image is None  # nothing drawn while hidden
    shown(qtbot, view)
    assert view.heat.image.shape == (16, 9)


@pytest.mark.parametrize("path", [EXAMPLE, V1])
def test_a_replay_reads_the_probe_history_in_one_read_not_snapshot_by_snapshot(qtbot, monkeypatch, path):
    reads = []
    real = SessionReader.params
    monkeypatch.setattr(SessionReader, "params", lambda self, i: reads.append(i) or real(self, i))
    model = RunModel()
    ReplaySource(model, model).open(path)
    before = list(reads)
    view = shown(qtbot, ProbeHistoryView(model))
    assert reads == before  # the heat map read no parameters
    with SessionReader(path) as reader:
        probe = reader.probe()
        steps = reader.snapshot_steps
        np.testing.assert_array_equal(reader.probe_probs(1, 3), probe["probs"][1:3])
        np.testing.assert_array_equal(reader.probe_probs(2), probe["probs"][2:])
    probs, labels = probe["probs"], probe["labels"]
    np.testing.assert_array_equal(view.heat.image, expected_pixels(probs, labels, np.arange(len(labels))))
    assert view.first.tolist() == first_right_by_loops(probs, labels)
    assert view.axis.steps.tolist() == steps.tolist()
    click(qtbot, view.plot, view.scene_pos(1, 1))
    assert model.step == int(steps[1]) and model.selection.image == int(probe["indices"][1])


def test_no_run_and_no_snapshot_yet(qtbot, run):
    data, records = run
    model = RunModel()
    view = shown(qtbot, ProbeHistoryView(model))
    assert view.summary.text() == "No run." and view.heat.image is None and not view.cursor.isVisible()
    model.begin(records[0], data.test_images, data.test_labels)
    assert view.summary.text() == "No snapshot yet."
    hover(view.plot.scene(), view.plot.mapToScene(view.plot.rect().center()))  # nothing to read: no error
    model.feed(records[1:3])
    qtbot.waitUntil(lambda: view.heat.image is not None, timeout=2000)
    assert view.heat.image.shape[0] == 16
    model.clear()
    assert view.summary.text() == "No run." and not view.marks.getData()[0].size


def test_it_is_registered_in_the_predictions_workspace():
    assert view_class("probes") is ProbeHistoryView
    assert "probes" in leaves(task("predictions").arrangement)
    assert "probes" in render.VIEWS


@pytest.mark.parametrize("size", [None, "560x300"])
def test_cnnviz_render_draws_the_view(qapp, tmp_path, capsys, size):
    out = tmp_path / "probes.png"
    assert main(["render", str(EXAMPLE), "--out", str(out), "--view", "probes", "--step", "40",
                 *(["--size", size] if size else [])]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    image = QImage(str(out)).convertToFormat(QImage.Format.Format_RGB888)
    assert (image.width(), image.height()) == ((900, 620) if size is None else (560, 300))
    rgb = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    rgb = rgb[:, :3 * image.width()].reshape(image.height(), image.width(), 3)
    # The heat map's colours are there: viridis's darkest purple end (a probability near 0 at the first step).
    lut = CMAP.getLookupTable(0.0, 1.0, 256)[:, :3]
    colours = {tuple(c) for c in rgb[rgb.shape[0] // 4: 3 * rgb.shape[0] // 4].reshape(-1, 3)}
    near = min(np.abs(np.array(list(colours), dtype=int) - lut[10].astype(int)).sum(axis=1))
    assert near < 30


@pytest.mark.parametrize(("size", "thumbs"), [((900, 620), True), ((720, 220), False)])
def test_the_rows_stay_labelled_at_a_small_dock_size_and_a_large_one(qtbot, run, size, thumbs):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, ProbeHistoryView(model))
    view.resize(*size)
    qtbot.waitUntil(lambda: view.plot.width() > 0.8 * size[0])
    labels = [str(int(t)) for t in records[0].probe_labels]
    h = view.labels.row_height()
    assert h == pytest.approx(view.vb.height() / 16)
    assert (view.labels.thumb >= 20) if thumbs else view.labels.thumb == 0
    texts = view.labels.texts()
    assert {t for _, _, t in texts} == set(labels)  # every class is labelled
    assert all(labels[r] == t for first, last, t in texts for r in range(first, last + 1))
    assert 4 <= view.marks.opts["size"] <= max(4, h)
    assert view.bar.isVisible() == (size[0] >= 420 and size[1] >= 315)


def test_a_diverged_snapshot_is_never_right_and_says_so(qtbot, run):
    data, records = run
    broken = [dataclasses.replace(r, probe_probs=np.full_like(r.probe_probs, np.nan))
              if isinstance(r, SnapshotRecord) and r.step >= 6 else r for r in records]
    model = fed_model(data, broken)
    view = shown(qtbot, ProbeHistoryView(model))
    probs, labels = snapshot_probs(broken), np.asarray(records[0].probe_labels)
    assert np.isnan(view.heat.image[:, -1]).all()  # drawn as holes, not as a colour
    assert view.first.tolist() == first_right_by_loops(probs, labels)
    hover(view.plot.scene(), view.scene_pos(0, 8))
    assert "the probabilities are not finite (the run diverged)" in view.status.text()
    assert " 0 of 16 right;" in view.summary.text()
    view.grab()  # NaN pixels draw without a warning
