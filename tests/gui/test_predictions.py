"""The predictions view: a page of test images with the shown evaluation's predictions, and the class
probabilities of the selected image."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import QApplication

from cnnviz.core import Network
from cnnviz.data import to_input
from cnnviz.gui.model import RunModel
from cnnviz.gui.export import save_shown
from cnnviz.gui.views.predictions import (
    COLS,
    FRAME,
    OTHER,
    PAGE,
    RIGHT,
    UNKNOWN,
    WRONG,
    PredictionsView,
    rgb,
)
from tests.gui.helpers import click, early_run, fed_model, hover, run_records, shown, started_model


@pytest.fixture(scope="module")
def evaluated_run():
    """8 steps with an evaluation (and a snapshot) at steps 2, 4, 6 and 8."""
    return run_records(400, 60, eval_every=2)


def frame_colour(view, n):
    """The colour of the top-left pixel of cell ``n``'s frame."""
    y, x = view.frame_origin(n)
    return tuple(int(v) for v in view.rgb[y, x])


def caption(ev, i):
    return f"{ev.predicted[i]} {100 * ev.confidence[i]:.0f}%"


def assert_page_shows(view, ev, labels):
    """Every cell of the page: its frame colour and caption from evaluation ``ev`` (None: none yet)."""
    for n, i in enumerate(view.shown()):
        if ev is None:
            assert frame_colour(view, n) == UNKNOWN
            assert view.captions[n].toPlainText() == f"#{i + 1}"
            assert view.is_right(int(i)) is None
        else:
            right = bool(ev.predicted[i] == labels[i])
            assert view.is_right(int(i)) is right
            assert frame_colour(view, n) == rgb(RIGHT if right else WRONG)
            assert view.captions[n].toPlainText() == caption(ev, i)


def independent_probabilities(model, ev, image):
    """A forward pass of one test image with the parameters of the snapshot taken at the evaluation's step."""
    (snap,) = [model.snapshots[k] for k in range(len(model.snapshots)) if model.snapshots[k].step == ev.step]
    cfg = model.start.config
    net = Network(cfg.network, dtype=np.dtype(cfg.dtype))
    net.set_params(snap.params)
    return net.forward(to_input(model.image(image)[None], net.dtype)).probs[0]


def test_predictions_mark_exactly_the_wrong_ones_red(qtbot, tiny_run, tmp_path):
    data, records = tiny_run
    model = fed_model(data, records)
    view = shown(qtbot, PredictionsView(model))
    ev = model.evaluation()
    assert ev is model.evals[len(model.evals) - 1]  # following: the newest evaluation
    wrong = ev.predicted != data.test_labels
    assert 0 < wrong.sum() < len(wrong)  # the tiny run gets some right and some wrong
    np.testing.assert_array_equal(view.indices, np.arange(60))
    np.testing.assert_array_equal(view.shown(), np.arange(PAGE))
    assert_page_shows(view, ev, data.test_labels)
    assert view.summary.text() == f"step {ev.step}: {100 * ev.test_accuracy:.1f}% right, {wrong.sum()} of 60 wrong"

    view.wrong_only.setChecked(True)
    np.testing.assert_array_equal(view.indices, np.flatnonzero(wrong))
    assert [frame_colour(view, n) for n in range(len(view.shown()))] == [rgb(WRONG)] * len(view.shown())
    assert_page_shows(view, ev, data.test_labels)
    assert save_shown(view, tmp_path / "predictions.png") and (tmp_path / "predictions.png").stat().st_size > 0


def test_predictions_page_and_wait_for_an_evaluation(qtbot):
    data, records = run_records(100, 70, eval_every=0)  # one evaluation, at the end (step 2)
    model = started_model(data, records)
    view = shown(qtbot, PredictionsView(model))
    assert not view.wrong_only.isEnabled() and view.summary.text() == "no evaluation yet"
    assert_page_shows(view, None, data.test_labels)
    assert view.captions[0].toPlainText() == "#1"  # test image 0, counted from 1
    assert view.bar_title() == "no evaluation yet"
    np.testing.assert_array_equal(view.bars.opts["height"], np.zeros(10))

    before = view.rgb
    model.feed(records[1:-2])  # steps and snapshots, no evaluation: the page is not drawn again
    assert model.evaluation() is None and view.rgb is before

    model.feed(records[-2:])
    ev = model.evaluation()
    assert view.wrong_only.isEnabled() and view.rgb is not before
    wrong = int((ev.predicted != data.test_labels).sum())
    assert view.summary.text() == f"step 2: {100 * ev.test_accuracy:.1f}% right, {wrong} of 70 wrong"
    assert_page_shows(view, ev, data.test_labels)
    pages = -(-70 // PAGE)
    for page in range(1, pages):
        view.next_button.click()
        assert view.page == page and list(view.shown()) == list(range(page * PAGE, min((page + 1) * PAGE, 70)))
        assert_page_shows(view, ev, data.test_labels)
    assert view.page_label.text() == f"page {pages}/{pages}"
    assert not view.next_button.isEnabled() and view.prev_button.isEnabled()
    assert [c.toPlainText() for c in view.captions[70 % PAGE:]] == [""] * (PAGE - 70 % PAGE)  # past the last


def test_predictions_come_from_the_evaluation_at_or_before_the_cursor(qtbot, evaluated_run):
    data, records = evaluated_run
    model = fed_model(data, records)
    view = shown(qtbot, PredictionsView(model))
    assert model.evals.steps == [2, 4, 6, 8] and model.step == 8
    assert_page_shows(view, model.evals[3], data.test_labels)

    for step, shown_eval in ((4, 1), (5, 1), (2, 0), (7, 2)):  # an evaluation's step, or between two
        model.seek(step)
        ev = model.evals[shown_eval]
        assert model.evaluation() is ev and ev.step == 2 * (shown_eval + 1)
        assert_page_shows(view, ev, data.test_labels)
        wrong = int((ev.predicted != data.test_labels).sum())
        assert view.summary.text() == f"step {ev.step}: {100 * ev.test_accuracy:.1f}% right, {wrong} of 60 wrong"
    # The evaluations differ, so the captions really changed with the cursor.
    assert len({tuple(caption(model.evals[k], i) for i in range(PAGE)) for k in range(4)}) == 4

    model.seek(1)  # before the first evaluation: grey frames, "#i", no bars
    assert model.evaluation() is None
    assert_page_shows(view, None, data.test_labels)
    assert not view.wrong_only.isEnabled() and view.summary.text() == "no evaluation yet"
    assert view.bar_title() == "no evaluation yet"
    np.testing.assert_array_equal(view.bars.opts["height"], np.zeros(10))
    assert view.bars.opts["brushes"] == [OTHER] * 10


def test_bars_are_the_selected_image_through_the_shown_evaluations_parameters(qtbot, evaluated_run):
    data, records = evaluated_run
    model = fed_model(data, records)
    view = shown(qtbot, PredictionsView(model))
    for step in (8, 5, 2):
        model.seek(step)
        ev = model.evaluation()
        for i in (int(model.selection.image), 7, 41):
            model.select(image=i)
            probs = independent_probabilities(model, ev, i)
            np.testing.assert_array_equal(view.bars.opts["height"], probs)
            guess, label = int(probs.argmax()), int(data.test_labels[i])
            assert guess == int(ev.predicted[i])
            assert view.captions[int(np.flatnonzero(view.shown() == i)[0])].toPlainText() == caption(ev, i)
            assert view.bar_title() == f"#{i + 1}, label {label} (step {ev.step})"
            assert view.bars.opts["brushes"] == [RIGHT if k == label else WRONG if k == guess else OTHER
                                                 for k in range(10)]


def test_the_selection_is_the_models(qtbot, evaluated_run):
    data, records = evaluated_run
    model = fed_model(data, records)
    view = shown(qtbot, PredictionsView(model))
    first = int(model.selection.image)  # the first probe image
    assert view.page == 0 and view.outlined() == first

    model.select(image=5)  # on this page: the outline and the bars move
    assert view.page == 0 and view.outlined() == 5
    np.testing.assert_array_equal(view.bars.opts["height"], model.eval_probabilities(5))
    y, x = view.frame_origin(5)
    assert view.outline.rect() == QRectF(x - 1, y - 1, 28 + 2 * FRAME + 2, 28 + 2 * FRAME + 2)

    model.select(image=PAGE + 3)  # on the next page: the view goes there
    assert view.page == 1 and view.outlined() == PAGE + 3
    np.testing.assert_array_equal(view.bars.opts["height"], model.eval_probabilities(PAGE + 3))
    assert view.bar_title() == f"#{PAGE + 4}, label {data.test_labels[PAGE + 3]} (step 8)"

    view.show_page(0)  # paging does not change the selection: no outline on a page without it
    assert model.selection.image == PAGE + 3 and view.outlined() is None
    np.testing.assert_array_equal(view.bars.opts["height"], model.eval_probabilities(PAGE + 3))

    n = COLS + 1  # second row, second column
    click(qtbot, view.grid, view.scene_pos(n))
    assert model.selection.image == n and view.outlined() == n
    np.testing.assert_array_equal(view.bars.opts["height"], model.eval_probabilities(n))

    hover(view.grid.scene(), view.scene_pos(2))
    ev = model.evaluation()
    assert view.status.text() == (f"test #3: label {data.test_labels[2]}, predicted {ev.predicted[2]} with "
                                  f"probability {ev.confidence[2]:.3f} (step 8)")

    # Misclassified only: the selection, if wrong, stays on the page shown.
    wrong = np.flatnonzero(ev.predicted != data.test_labels)
    model.select(image=int(wrong[-1]))
    view.wrong_only.setChecked(True)
    assert view.page == (len(wrong) - 1) // PAGE and view.outlined() == wrong[-1]


def test_the_hover_caption_is_the_image_under_the_pointer_and_goes_when_it_is_stale(qtbot, tiny_run, evaluated_run):
    """The status line describes the image under the pointer; once another image is selected, another page or
    run shown, or the pointer is off the images, it says what the view does again (it kept "test #2 ... (step 8)")."""
    model = fed_model(*evaluated_run)
    view = shown(qtbot, PredictionsView(model))
    hint = view.status.text()
    assert hint.startswith("Click an image")

    def hover_image(n):
        hover(view.grid.scene(), view.scene_pos(n))
        assert view.status.text().startswith(f"test #{int(view.shown()[n]) + 1}: label ")

    hover_image(2)
    model.select(image=7)  # chosen in another view
    assert view.status.text() == hint
    hover_image(2)
    hover(view.grid.scene(), view.vb.sceneBoundingRect().bottomRight() + QPointF(5, 5))  # off the images
    assert view.status.text() == hint
    hover_image(2)
    view.show_page(1)
    assert view.status.text() == hint
    hover_image(2)
    data, records = tiny_run
    model.begin(records[0], data.test_images, data.test_labels)  # a new run (a fork's, say)
    assert view.status.text() == hint


def test_misclassified_only_starts_the_new_list_at_the_selections_page_or_the_first(qtbot, evaluated_run):
    data, records = evaluated_run
    model = fed_model(data, records)
    view = shown(qtbot, PredictionsView(model))
    ev = model.evaluation()
    wrong = np.flatnonzero(ev.predicted != data.test_labels)
    assert len(wrong) > PAGE, "two pages of mistakes"
    model.select(image=int(np.flatnonzero(ev.predicted == data.test_labels)[0]))  # right: not in the new list
    view.show_page(1)
    view.wrong_only.setChecked(True)
    assert view.page == 0 and list(view.shown()) == list(wrong[:PAGE])
    view.show_page(1)
    view.wrong_only.setChecked(False)  # all images again: the page of the selection
    assert view.page == 0 and view.outlined() == model.selection.image


def test_an_early_evaluation_pages_through_the_images_it_evaluated(qtbot):
    data, records = early_run()
    model = fed_model(data, records)
    view = shown(qtbot, PredictionsView(model))
    model.seek(30)
    ev = model.evaluation()
    assert ev.n_images == 20
    np.testing.assert_array_equal(view.indices, np.arange(20))
    assert_page_shows(view, ev, data.test_labels)
    wrong = int((ev.predicted != data.test_labels[:20]).sum())
    assert view.summary.text() == (f"step 25: {100 * ev.test_accuracy:.1f}% right, {wrong} of 20 wrong; an early "
                                   "evaluation, of the first 20 of the 60 test images")
    model.select(image=45)  # not evaluated at step 25: its bars are its probabilities with those parameters
    np.testing.assert_allclose(view.bars.opts["height"], independent_probabilities(model, ev, 45), rtol=1e-6)
    view.wrong_only.setChecked(True)
    np.testing.assert_array_equal(view.indices, np.flatnonzero(ev.predicted != data.test_labels[:20]))
    hover(view.grid.scene(), view.scene_pos(0))
    assert view.status.text().startswith(f"test #{int(view.indices[0]) + 1}: label ")
    model.seek(40)  # the end of the epoch: every test image
    assert len(view.indices) == int((model.evaluation().predicted != data.test_labels).sum())
    assert not view.summary.text().endswith("test images")


def test_without_the_test_set_only_the_probe_images_are_paged(qtbot, evaluated_run):
    data, records = evaluated_run
    start = records[0]
    model = RunModel()
    model.begin(start, None, None)
    model.feed(records[1:])
    view = shown(qtbot, PredictionsView(model))
    probes = np.sort(start.probe_indices)
    np.testing.assert_array_equal(view.indices, probes)
    np.testing.assert_array_equal(view.shown(), probes)
    labels = dict(zip(start.probe_indices.tolist(), start.probe_labels.tolist()))
    ev = model.evaluation()
    assert_page_shows(view, ev, labels)
    assert [c.toPlainText() for c in view.captions[:len(probes)]] == [caption(ev, i) for i in probes]
    for n, i in enumerate(probes):
        np.testing.assert_array_equal(view.rgb[view.frame_origin(n)[0] + FRAME, view.frame_origin(n)[1] + FRAME],
                                      np.repeat(data.test_images[i][0, 0], 3))

    i = int(probes[3])
    model.select(image=i)
    assert view.outlined() == i
    np.testing.assert_array_equal(view.bars.opts["height"], independent_probabilities(model, ev, i))
    model.select(image=int(np.setdiff1d(np.arange(60), probes)[0]))  # not at hand: no outline, no bars
    assert view.outlined() is None and view.bar_title().endswith(": image not at hand")

    wrong = [i for i in probes if ev.predicted[i] != labels[i]]
    view.wrong_only.setChecked(True)
    assert list(view.indices) == wrong


def test_a_new_run_resets_the_view(qtbot, tiny_run, evaluated_run):
    model = fed_model(*evaluated_run)
    view = shown(qtbot, PredictionsView(model))
    view.wrong_only.setChecked(True)
    view.show_page(1)
    data, records = tiny_run
    model.begin(records[0], data.test_images, data.test_labels)
    assert view.page == 0 and not view.wrong_only.isChecked() and not view.wrong_only.isEnabled()
    assert_page_shows(view, None, data.test_labels)
    model.feed(records[1:])
    assert_page_shows(view, model.evaluation(), data.test_labels)


def test_captions_are_readable_and_do_not_overlap(qtbot, tiny_run):
    model = fed_model(*tiny_run)
    view = shown(qtbot, PredictionsView(model))
    view.resize(560, 380)  # about the predictions dock of the window's first layout
    qtbot.waitUntil(lambda: view.grid.height() < 330)
    assert view.caption_font_size() >= 11
    captions = [c.mapRectToScene(c.boundingRect()) for c in view.captions]
    frames = []
    for n in range(PAGE):
        y, x = view.frame_origin(n)
        a = view.vb.mapViewToScene(QRectF(x, y, 1, 1).topLeft())
        b = view.vb.mapViewToScene(QRectF(x + 28 + 2 * FRAME, y + 28 + 2 * FRAME, 1, 1).topLeft())
        frames.append(QRectF(a, b))
    for n, rect in enumerate(captions):
        assert rect.width() > 0
        assert not any(rect.intersects(other) for other in captions[:n] + captions[n + 1:])
        assert not any(rect.intersects(frame) for frame in frames)


@pytest.mark.parametrize("size", [(560, 380), (380, 300), (250, 300)])
def test_the_first_and_last_columns_captions_are_whole(qtbot, evaluated_run, size):
    """A caption is wider than its image ("0 100%" over 28 pixels): the view shows half a gap beside the first and
    last columns, so that theirs are not cut at the view's edges (on a projector's 1024 x 768 the first column read
    ") 100%")."""
    model = fed_model(*evaluated_run)
    view = shown(qtbot, PredictionsView(model))
    view.resize(*size)
    qtbot.waitUntil(lambda: view.vb.width() < size[0])
    view.show_page(view.page)
    rects = [(c.toPlainText(), c.mapRectToScene(c.boundingRect())) for c, _ in zip(view.captions, view.shown())]
    image = view.vb.mapViewToScene(QPointF(28, 0)).x() - view.vb.mapViewToScene(QPointF(0, 0)).x()
    assert max(rect.width() for _, rect in rects) > image  # wider than the image under it
    inside = view.vb.sceneBoundingRect()
    assert [text for text, rect in rects if not inside.contains(rect)] == []


@pytest.mark.parametrize("size", [(420, 260), (330, 200)])
def test_a_small_view_shows_fewer_images_with_readable_captions(qtbot, evaluated_run, size):
    """Where the view is too small for 5 x 6 images with captions of the application's font size less 1 pt,
    the page has fewer rows and columns; the captions keep that size, never overlap, and paging still reaches
    every image."""
    model = fed_model(*evaluated_run)
    view = shown(qtbot, PredictionsView(model))
    assert view.page_size == PAGE  # room for a full page at the usual size
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() - 1)
    readable = QFontInfo(font).pixelSize()
    assert view.readable_size() == readable >= 10
    view.resize(*size)
    qtbot.waitUntil(lambda: view.page_size < PAGE)
    assert view.caption_font_size() >= readable
    captions = [c.mapRectToScene(c.boundingRect()) for c, _ in zip(view.captions, view.shown())]
    assert len(captions) == view.page_size == view.rows * view.cols >= 1
    for n, rect in enumerate(captions):
        assert not any(rect.intersects(other) for other in captions[:n] + captions[n + 1:])
        assert view.vb.sceneBoundingRect().contains(rect)  # inside the view, not cut off
    assert all(not c.toPlainText() for c in view.captions[view.page_size:])  # the cells not on the page
    seen = []
    for page in range(view.pages()):
        view.show_page(page)
        seen.extend(view.shown().tolist())
    assert seen == model.image_indices.tolist()
    assert_page_shows(view, model.evaluation(), evaluated_run[0].test_labels)
    n = view.cols + 1 if view.rows > 1 else 0  # a click picks the image drawn there
    click(qtbot, view.grid, view.scene_pos(n))
    assert model.selection.image == int(view.shown()[n])
    model.select(image=int(model.image_indices[-1]))  # the selection's page, at the new page size
    assert view.page == view.pages() - 1 and view.outlined() is not None
    view.resize(900, 700)  # room again: the full page, from the page that holds its first image
    qtbot.waitUntil(lambda: view.page_size == PAGE)
