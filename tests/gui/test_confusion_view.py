"""The confusion view: the shown evaluation's matrix, and the test images of a clicked cell."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from cnnviz.gui.model import RunModel
from cnnviz.gui.views import confusion
from cnnviz.gui.views.confusion import BLUES, ConfusionView
from tests.gui.helpers import click, early_run, fed_model, hover, run_records, shown, started_model


@pytest.fixture(scope="module")
def run():
    """8 steps with an evaluation (and a snapshot) at steps 2, 4, 6 and 8, on 60 test images."""
    return run_records(400, 60, eval_every=2)


def members(ev, labels, true, predicted):
    """The test indices of a cell, computed here from the evaluation's predictions."""
    return np.flatnonzero((labels == true) & (ev.predicted == predicted))


def gallery_indices(view):
    return [view.gallery.item(k).data(Qt.ItemDataRole.UserRole) for k in range(view.gallery.count())]


def busy_cells(ev):
    """A diagonal and an off-diagonal cell with images in them."""
    c = np.asarray(ev.confusion)
    diagonal = int(np.argmax(np.diag(c)))
    off = np.argwhere((c > 0) & ~np.eye(len(c), dtype=bool))
    assert len(off), "the tiny run makes some mistakes"
    return (diagonal, diagonal), tuple(int(v) for v in off[0])


def test_the_matrix_shows_the_evaluations_counts_and_row_fractions(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, ConfusionView(model))
    ev = model.evaluation()
    assert ev is model.evals[len(model.evals) - 1]
    c = np.asarray(ev.confusion)
    # The evaluation's own matrix is the count of (label, prediction) pairs.
    expected = np.zeros_like(c)
    np.add.at(expected, (data.test_labels, ev.predicted), 1)
    np.testing.assert_array_equal(c, expected)
    assert view.numbers.shown() == [[str(int(v)) for v in row] for row in c]
    fractions = c / np.maximum(c.sum(axis=1, keepdims=True), 1)
    np.testing.assert_allclose(view.fractions(), fractions)
    drawn = view.image.image
    np.testing.assert_array_equal(drawn, BLUES.map(fractions.ravel(), mode="byte").reshape(10, 10, 4))
    assert view.numbers.font_size() >= 7
    assert f"{int(np.trace(c))} of 60 test images right" in view.summary.text()
    ticks = view.pi.getAxis("left")._tickLevels[0]
    assert [t[1] for t in ticks] == [str(k) for k in range(10)]


def test_an_early_evaluation_is_shown_as_one_of_the_first_test_images(qtbot):
    data, records = early_run()
    model = fed_model(data, records)
    view = shown(qtbot, ConfusionView(model))
    model.seek(30)
    ev = model.evaluation()
    assert ev.step == 25 and ev.n_images == 20 and np.asarray(ev.confusion).sum() == 20
    right = int(np.trace(ev.confusion))
    assert view.summary.text() == (f"Step 25 (epoch 1): {right} of 20 test images right ({100 * ev.test_accuracy:.1f}%)"
                                   f"; an early evaluation, of the first 20 of the 60 test images")
    (true, predicted), _ = busy_cells(ev)
    view.choose(true, predicted)
    assert gallery_indices(view) == members(ev, data.test_labels[:20], true, predicted).tolist()
    model.select(image=45)  # not evaluated at step 25: no cell of its own
    assert view.cell == (true, predicted)
    model.seek(40)
    assert view.summary.text().endswith("test images right"
                                        f" ({100 * model.evaluation().test_accuracy:.1f}%)")


def test_clicking_a_cell_lists_exactly_its_test_images_in_order(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, ConfusionView(model))
    ev = model.evaluation()
    for true, predicted in busy_cells(ev):
        click(qtbot, view.plot, view.scene_pos(true, predicted))
        assert view.cell == (true, predicted)
        expected = members(ev, data.test_labels, true, predicted)
        assert len(expected) == ev.confusion[true, predicted]
        assert gallery_indices(view) == expected.tolist()
        np.testing.assert_array_equal(view.shown(), expected)
        what, n = "right" if true == predicted else "wrong", len(expected)
        assert view.gallery_title.text() == f"True {true}, predicted {predicted} ({what}): {n} test image{'s' * (n != 1)}."
        assert view.outline.isVisible() and view.outline.rect().topLeft().toTuple() == (predicted, true)
        for k, i in enumerate(expected):  # the caption: confidence and the rest of the top 3
            probs = model.eval_probabilities(int(i))
            top = [int(t) for t in np.argsort(-probs, kind="stable")[:3]]
            assert view.top3(int(i)) == top
            text = view.gallery.item(k).text()
            assert text.startswith(f"#{i + 1}  {predicted}: {100 * ev.confidence[i]:.0f}%\n")
            rest = top[1:] if top[0] == predicted else top
            assert text.split("\n")[1] == " · ".join(f"{t}: {100 * probs[t]:.0f}%" for t in rest)
    assert not view.more_button.isVisible()


def test_the_batched_probabilities_are_the_models(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, ConfusionView(model))
    probs = view.probabilities(np.arange(60))
    for i in (0, 17, 59):
        np.testing.assert_allclose(probs[i], model.eval_probabilities(i), rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(probs.argmax(axis=1), model.evaluation().predicted)


def test_clicking_an_image_selects_it_everywhere(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, ConfusionView(model))
    _, off = busy_cells(model.evaluation())
    view.choose(*off)
    last = view.gallery.count() - 1
    index = view.gallery.item(last).data(Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(model.changed) as signal:
        rect = view.gallery.visualItemRect(view.gallery.item(last))
        qtbot.mouseClick(view.gallery.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args[0] == frozenset({"image"})
    assert model.selection.image == index
    assert view.selected_in_gallery() == index
    # Chosen elsewhere: marked here when it is in the cell; when it is not, its cell is shown.
    model.select(image=int(view.shown()[0]))
    assert view.cell == off and view.selected_in_gallery() == int(view.shown()[0])
    ev = model.evaluation()
    other = next(i for i in range(60) if i not in view.shown())
    model.select(image=other)
    cell = (int(data.test_labels[other]), int(ev.predicted[other]))
    assert view.cell == cell
    assert gallery_indices(view) == members(ev, data.test_labels, *cell).tolist()
    assert view.selected_in_gallery() == other


def test_at_first_the_cell_of_the_selected_image(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    model.select(image=7)
    view = shown(qtbot, ConfusionView(model))
    ev = model.evaluation()
    assert view.cell == (int(data.test_labels[7]), int(ev.predicted[7]))
    assert 7 in view.shown()
    assert view.selected_in_gallery() == 7


def test_it_follows_the_timeline_to_another_evaluation(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, ConfusionView(model))
    _, off = busy_cells(model.evaluation())
    view.choose(*off)
    model.seek(model.evals.steps[0])
    first = model.evals[0]
    assert model.evaluation() is first
    assert view.numbers.shown() == [[str(int(v)) for v in row] for row in first.confusion]
    assert view.cell == off  # the same cell, its images at this evaluation
    assert gallery_indices(view) == members(first, data.test_labels, *off).tolist()
    assert f"Step {first.step} " in view.summary.text()
    probs = view.probabilities(np.arange(60))
    np.testing.assert_array_equal(probs.argmax(axis=1), first.predicted)
    model.follow()
    assert view.numbers.shown() == [[str(int(v)) for v in row] for row in model.evals[len(model.evals) - 1].confusion]


def test_no_evaluation_yet_then_the_first_one(qtbot, run):
    data, records = run
    model = started_model(data, records)
    view = shown(qtbot, ConfusionView(model))
    assert view.summary.text() == "No evaluation yet."
    assert view.numbers.shown() is None and view.gallery.count() == 0
    click(qtbot, view.plot, view.vb.sceneBoundingRect().center())  # nothing to click: no error
    first_eval = next(k for k, r in enumerate(records) if type(r).__name__ == "EvalRecord")
    model.feed(records[1:first_eval + 1])
    assert view.numbers.shown() == [[str(int(v)) for v in row] for row in model.evaluation().confusion]
    empty = shown(qtbot, ConfusionView(RunModel()))  # no run at all
    assert empty.summary.text() == "No run."


def test_a_hidden_view_computes_nothing_until_it_is_shown(qtbot, run, monkeypatch):
    """A tab behind another view during a live run: no gallery (a forward pass of its images) at each evaluation."""
    data, records = run
    model = started_model(data, records)
    view = ConfusionView(model)
    qtbot.addWidget(view)
    calls = []
    monkeypatch.setattr(ConfusionView, "redraw", lambda self, real=ConfusionView.redraw: calls.append(1) or real(self))
    model.feed(records[1:])
    assert calls == [] and view.summary.text() == ""
    shown(qtbot, view)
    assert calls == [1] and view.numbers.shown() == [[str(int(v)) for v in row] for row in model.evaluation().confusion]


def test_a_replay_with_only_the_probe_images_says_so(qtbot, run):
    _, records = run
    model = RunModel()
    model.begin(records[0], None, None)  # the session's test set was not found
    model.feed(records[1:])
    view = shown(qtbot, ConfusionView(model))
    ev = model.evaluation()
    probes = np.asarray(records[0].probe_indices)
    labels = np.asarray(records[0].probe_labels)
    true, predicted = int(labels[0]), int(ev.predicted[probes[0]])
    click(qtbot, view.plot, view.scene_pos(true, predicted))
    expected = sorted(int(i) for i, l in zip(probes, labels) if l == true and ev.predicted[i] == predicted)
    assert gallery_indices(view) == expected
    count = int(ev.confusion[true, predicted])
    assert view.gallery_title.text() == (
        f"True {true}, predicted {predicted} ({'right' if true == predicted else 'wrong'}): "
        f"{count} test image{'s' * (count != 1)}. Only the "
        f"probe images are at hand (the session's test set was not found): {len(expected)} of them are here.")


def test_a_large_cell_shows_the_first_ones_and_how_many_more(qtbot, run, monkeypatch):
    data, records = run
    monkeypatch.setattr(confusion, "GALLERY", 2)
    model = fed_model(data, records)
    view = shown(qtbot, ConfusionView(model))
    ev = model.evaluation()
    true, predicted = np.unravel_index(np.argmax(ev.confusion), ev.confusion.shape)  # the largest cell
    expected = members(ev, data.test_labels, true, predicted)
    assert len(expected) > 6
    view.choose(int(true), int(predicted))
    assert gallery_indices(view) == expected[:2].tolist()
    assert view.gallery_title.text().endswith(f"image{'s' * (len(expected) != 1)}, the first 2 shown, and "
                                              f"{len(expected) - 2} more.")
    assert view.more_button.isVisible() and view.more_button.text() == "show 2 more"
    qtbot.mouseClick(view.more_button, Qt.MouseButton.LeftButton)
    assert gallery_indices(view) == expected[:4].tolist()
    model.select(image=int(expected[5]))  # selected further down the cell: the gallery reaches it
    assert gallery_indices(view) == expected[:6].tolist() and view.selected_in_gallery() == expected[5]
    while view.more_button.isVisible():
        view.more_button.click()
    assert gallery_indices(view) == expected.tolist()
    assert "more" not in view.gallery_title.text()


def test_hovering_a_cell_says_its_count_and_fraction(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, ConfusionView(model))
    c = model.evaluation().confusion
    _, (i, j) = busy_cells(model.evaluation())
    hover(view.plot.scene(), view.scene_pos(i, j))
    assert view.status.text() == (f"True {i}, predicted {j}: {int(c[i, j])} of the {int(c[i].sum())} test images of "
                                  f"class {i} ({100 * c[i, j] / c[i].sum():.1f}%). Click to see them.")


def test_a_narrow_dock_puts_the_gallery_under_the_matrix(qtbot, run):
    data, records = run
    model = fed_model(data, records)
    view = shown(qtbot, ConfusionView(model))  # 600 x 450: side by side, with the colour bar
    assert view.split.orientation() == Qt.Orientation.Horizontal and view.bar.isVisible()
    view.resize(290, 300)  # a tab in a 1024 x 700 window
    qtbot.waitUntil(lambda: view.split.orientation() == Qt.Orientation.Vertical)
    assert not view.bar.isVisible()
    model.select(image=int(view.shown()[-1]))  # the selected image stays in sight
    qtbot.waitUntil(lambda: view.gallery.visualItemRect(view.gallery.currentItem()).intersects(
        view.gallery.viewport().rect()))
    view.resize(900, 500)
    qtbot.waitUntil(lambda: view.split.orientation() == Qt.Orientation.Horizontal)
    assert view.bar.isVisible()
