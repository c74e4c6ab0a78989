"""The Draw view: a canvas drawn with the mouse, its prepared image as every view's chosen image, the bars."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from cnnviz.core import Network
from cnnviz.data import prepare_image, to_input, to_uint8
from cnnviz.gui.app import MainWindow
from cnnviz.gui.main import build_parser
from cnnviz.gui.model import RunModel
from cnnviz.gui.state import USER_IMAGE
from cnnviz.gui.views import draw
from cnnviz.gui.views.common import ImageChooser
from cnnviz.gui.views.draw import DrawView, ImageFileError, pen_stroke, read_image_file
from cnnviz.gui.views.feature_maps import FeatureMapsView
from tests.gui.helpers import fed_model, shown

SEVEN = [(8, 6), (20, 6), (16, 14), (13, 23)]  # a stroke like a 7, in canvas pixels (x, y)


@pytest.fixture
def model(tiny_records, tiny_data):
    return fed_model(tiny_data, tiny_records)


def probabilities(model, image_uint8) -> np.ndarray:
    """An independent forward pass of a uint8 image with the shown snapshot's parameters."""
    net = Network(model.start.config.network)
    net.set_params(model.snapshot().params)
    return net.forward(to_input(image_uint8[None])).probs[0]


def drag(qtbot, canvas, points) -> None:
    """Draw through ``points`` (canvas pixels) with the mouse: press, moves, release."""
    at = [canvas.to_widget(x, y).toPoint() for x, y in points]
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=at[0])
    for p in at[1:]:
        qtbot.mouseMove(canvas, p)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=at[-1])


def write_image(path, pixels: np.ndarray, fmt: str) -> None:
    """Save (H, W) grey or (H, W, 3) RGB uint8 pixels with Qt (PNG, JPEG, BMP)."""
    pixels = np.ascontiguousarray(pixels)
    h, w = pixels.shape[:2]
    if pixels.ndim == 2:
        image = QImage(pixels.data, w, h, w, QImage.Format.Format_Grayscale8)
    else:
        image = QImage(pixels.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    assert image.copy().save(str(path), fmt)


def paper_digit(data, index: int = 0) -> np.ndarray:
    """A test digit 4x larger, in blue ink on cream paper, on a 150 x 200 sheet off centre (RGB uint8)."""
    big = np.zeros((150, 200), dtype=np.float64)
    big[10:122, 60:172] = data.test_images[index].repeat(4, axis=0).repeat(4, axis=1) / 255
    ink = big[..., None]
    return np.round(np.array([245, 240, 225.0]) * (1 - ink) + np.array([20, 30, 140.0]) * ink).astype(np.uint8)


def test_the_pen_is_soft_and_follows_the_segment():
    image = np.zeros((28, 28), dtype=np.float32)
    pen_stroke(image, (5.5, 10.5), (20.5, 10.5))  # along the centres of row 10
    assert (image[10, 5:21] == 1).all()  # on the path: full
    assert image[10, 0] == 0 and image[0, 10] == 0  # far from it: untouched
    for rows_away in (1, 2):  # the soft edge: linear from PEN_CORE to PEN_EDGE
        value = (draw.PEN_EDGE - rows_away) / (draw.PEN_EDGE - draw.PEN_CORE)
        assert image[10 + rows_away, 10] == pytest.approx(value) and image[10 - rows_away, 10] == pytest.approx(value)
    assert image[13, 10] == 0 and image[10, 2] == 0  # PEN_EDGE and more away: untouched
    assert image[10, 3] == pytest.approx((draw.PEN_EDGE - 2) / (draw.PEN_EDGE - draw.PEN_CORE))  # around its ends


def test_drawing_with_the_mouse_makes_the_prepared_drawing_every_view_s_image(qtbot, model):
    view = shown(qtbot, DrawView(model))
    maps = shown(qtbot, FeatureMapsView(model))
    chooser = ImageChooser(model)
    qtbot.addWidget(chooser)
    assert not view.canvas.image.any() and view.probabilities is None
    drag(qtbot, view.canvas, SEVEN)
    assert view.canvas.image[6, 8:21].min() > 0.9  # the top bar of the 7
    assert view.canvas.image[0].max() == 0 and view.canvas.image[:, 0].max() == 0
    qtbot.waitUntil(lambda: model.selection.image == USER_IMAGE)
    prepared = prepare_image(view.canvas.image)
    np.testing.assert_array_equal(view.prepared, prepared)
    np.testing.assert_array_equal(model.image(USER_IMAGE), to_uint8(prepared))
    assert model.label(USER_IMAGE) is None
    # The bars are the network's probabilities of the prepared image (at the shown snapshot), the guess in blue.
    expected = probabilities(model, to_uint8(prepared))
    np.testing.assert_allclose(view.bars.opts["height"], expected, rtol=1e-6)
    np.testing.assert_allclose(view.probabilities, expected, rtol=1e-6)
    guess = int(expected.argmax())
    assert view.guess_text().startswith(f"a {guess}?")
    assert view.bars.opts["brushes"][guess] == draw.GUESS
    # The feature maps show the drawing's trace; the image chooser says so.
    net = Network(model.start.config.network)
    net.set_params(model.snapshot().params)
    np.testing.assert_allclose(maps.maps(), net.forward(to_input(to_uint8(prepared)[None])).conv[0].u[0], rtol=1e-6)
    assert chooser.spin.text() == "your drawing" and chooser.combo.placeholderText() == "your drawing"
    # Choosing a test image in the chooser leaves the drawing for it; the drawing's bars stay.
    chooser.spin.setValue(4)  # counted from 1: test image 3
    assert model.selection.image == 3 and chooser.spin.text() == "test #4"
    np.testing.assert_allclose(view.probabilities, expected, rtol=1e-6)
    chooser.spin.stepDown()
    chooser.spin.stepDown()
    chooser.spin.stepDown()
    chooser.spin.stepDown()  # below test #1 (the first): the drawing
    assert model.selection.image == USER_IMAGE and chooser.spin.text() == "your drawing"
    view.clear_button.click()
    view.flush()
    assert model.selection.image != USER_IMAGE and chooser.spin.minimum() == 1


def test_the_bars_follow_the_timeline(qtbot, model):
    view = shown(qtbot, DrawView(model))
    view.canvas.stroke(SEVEN)
    view.flush()
    last = view.probabilities.copy()
    model.seek(model.snapshots.steps[0])
    first = probabilities(model, model.image(USER_IMAGE))
    np.testing.assert_allclose(view.probabilities, first, rtol=1e-6)
    assert not np.allclose(first, last)
    assert view.info.text() == f"step {model.snapshots.steps[0]}"


def test_a_second_stroke_updates_the_model_and_the_bars(qtbot, model):
    view = shown(qtbot, DrawView(model))
    view.canvas.stroke(SEVEN)
    view.flush()
    one = model.image(USER_IMAGE).copy()
    view.canvas.stroke([(5, 15), (22, 15)])  # a cross bar
    view.flush()
    two = model.image(USER_IMAGE)
    assert not np.array_equal(one, two)
    np.testing.assert_allclose(view.probabilities, probabilities(model, two), rtol=1e-6)  # no stale trace


def test_undo_clear_and_ctrl_z(qtbot, model):
    view = shown(qtbot, DrawView(model))
    assert not view.undo_button.isEnabled() and not view.clear_button.isEnabled()
    drag(qtbot, view.canvas, SEVEN)
    after_one = view.canvas.image.copy()
    drag(qtbot, view.canvas, [(5, 15), (22, 15)])
    view.flush()
    assert not np.array_equal(view.canvas.image, after_one)
    view.undo_button.click()
    np.testing.assert_array_equal(view.canvas.image, after_one)
    view.flush()
    np.testing.assert_array_equal(model.image(USER_IMAGE), to_uint8(prepare_image(after_one)))
    view.clear_button.click()
    view.flush()
    assert not view.canvas.image.any()
    assert model.user_image is None and model.selection.image == int(model.start.probe_indices[0])
    assert view.probabilities is None and not view.clear_button.isEnabled()
    assert "Draw a digit" in view.status.text()
    view.canvas.setFocus()
    view.activateWindow()
    qtbot.waitUntil(view.canvas.hasFocus)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Z: the clear undone
    np.testing.assert_array_equal(view.canvas.image, after_one)
    view.flush()
    assert model.selection.image == USER_IMAGE
    view.undo_button.click()
    assert not view.canvas.image.any()
    assert not view.canvas.undo()  # nothing left
    assert not view.undo_button.isEnabled()


def test_drawing_without_a_run_says_there_is_no_network(qtbot):
    model = RunModel()
    view = shown(qtbot, DrawView(model))
    view.canvas.stroke(SEVEN)
    view.flush()
    assert model.selection.image == USER_IMAGE and model.has_image(USER_IMAGE)
    assert model.trace(USER_IMAGE) is None and view.probabilities is None
    assert "No network yet" in view.status.text()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "BMP"])
def test_opening_an_image_file_puts_it_on_the_canvas(qtbot, model, tiny_data, tmp_path, fmt):
    view = shown(qtbot, DrawView(model))
    pixels = paper_digit(tiny_data)
    path = tmp_path / f"digit.{fmt.lower()}"
    write_image(path, pixels, fmt)
    read = read_image_file(path)
    assert read.shape == (150, 200, 3) and read.dtype == np.uint8
    if fmt != "JPEG":
        np.testing.assert_array_equal(read, pixels)
    view.load_image(path)
    assert model.selection.image == USER_IMAGE
    np.testing.assert_array_equal(view.canvas.image, prepare_image(read))
    np.testing.assert_allclose(view.probabilities, probabilities(model, to_uint8(prepare_image(read))), rtol=1e-6)
    # The digit prepared from the photo is nearly the test digit itself (4x shrunk, inverted, recentred).
    assert np.abs(view.canvas.image - tiny_data.test_images[0] / 255).mean() < 0.05
    view.undo_button.click()  # opening is one undo step
    assert not view.canvas.image.any()


def test_a_grey_image_file_is_read_as_grey(tmp_path):
    pixels = np.full((40, 30), 255, dtype=np.uint8)
    pixels[5:35, 12:18] = 0
    write_image(tmp_path / "one.png", pixels, "PNG")
    np.testing.assert_array_equal(read_image_file(tmp_path / "one.png"), pixels)


def huge_bmp(path, width: int, height: int) -> None:
    """A BMP header that claims width x height pixels (24-bit), with almost no pixel data behind it."""
    header = struct.pack("<2sIHHI", b"BM", 54 + 16, 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    path.write_bytes(header + info + bytes(16))


@pytest.mark.parametrize(("name", "content", "words"), [
    ("notes.png", b"this is not a picture\n", "is not an image"),
    ("empty.png", b"", "is empty"),
    ("missing.png", None, "does not exist"),
    ("huge.bmp", "huge", "is too large: 10000 × 5000 pixels"),
    ("blank.png", "blank", "shows no digit"),
])
def test_a_bad_image_file_is_one_sentence_and_changes_nothing(qtbot, model, tmp_path, name, content, words):
    view = shown(qtbot, DrawView(model))
    view.canvas.stroke(SEVEN)
    view.flush()
    before, selected = view.canvas.image.copy(), model.image(USER_IMAGE).copy()
    path = tmp_path / name
    if content == "huge":
        huge_bmp(path, 10000, 5000)
    elif content == "blank":
        write_image(path, np.full((20, 20), 200, np.uint8), "PNG")
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(ImageFileError, match=words) as info:
        view.load_image(path)
    text = str(info.value)
    assert str(path) in text and text.endswith(".") and "\n" not in text
    np.testing.assert_array_equal(view.canvas.image, before)
    np.testing.assert_array_equal(model.image(USER_IMAGE), selected)
    assert len(view.canvas.undo_stack) == 1


def test_a_large_image_within_the_limit_is_read(tmp_path, monkeypatch):
    write_image(tmp_path / "wide.png", np.full((30, 40), 255, np.uint8), "PNG")
    monkeypatch.setattr(draw, "MAX_PIXELS", 1200)
    assert read_image_file(tmp_path / "wide.png").shape == (30, 40)
    monkeypatch.setattr(draw, "MAX_PIXELS", 1199)
    with pytest.raises(ImageFileError, match="too large: 40 × 30 pixels"):
        read_image_file(tmp_path / "wide.png")


def test_file_open_image_in_the_window(qtbot, tmp_path, tiny_data, monkeypatch):
    args = build_parser().parse_args(["--data", "sample", "--limit-train", "300", "--limit-test", "100",
                                      "--conv", "2", "--fc", "8", "--out", str(tmp_path / "run.h5")])
    window = MainWindow(args, remember=False)
    qtbot.addWidget(window)
    window.show()
    assert window.open_image_action.shortcut().toString() == "Ctrl+I"
    file_menu = window.menuBar().actions()[0].menu()
    assert window.open_image_action in file_menu.actions()
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8 not really a jpeg")
    assert not draw.open_image_in(window, bad)
    assert window.last_message.startswith(str(bad)) and window.message_box is not None
    assert window.views["draw"].canvas.undo_stack == []
    window.message_box.close()
    good = tmp_path / "seven.png"
    write_image(good, paper_digit(tiny_data), "PNG")
    assert draw.open_image_in(window, good)
    assert window.views["draw"].canvas.image.any() and window.model.user_image is not None
    assert window.docks["draw"].isVisible()
    drawing = window.model.user_image.copy()
    window.export_view(tmp_path / "draw-view.png", "draw")  # a copy of the view is drawn offscreen
    assert (tmp_path / "draw-view.png").stat().st_size > 0
    np.testing.assert_array_equal(window.model.user_image, drawing)
    assert window.model.selection.image == USER_IMAGE
    opened = []
    window.open_image_action.triggered.connect(lambda *_: opened.append(True))
    monkeypatch.setattr(draw.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))  # cancelled
    window.views["draw"].open_button.click()
    assert opened == [True]


def test_while_a_stroke_goes_on_the_bars_follow_every_move_and_the_model_its_end(qtbot, model, monkeypatch):
    monkeypatch.setattr(draw, "MODEL_INTERVAL", 3600.0)  # within a stroke, the model gets only its first dot
    view = shown(qtbot, DrawView(model))
    canvas = view.canvas
    at = [canvas.to_widget(x, y).toPoint() for x, y in SEVEN]
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=at[0])
    qtbot.waitUntil(lambda: model.user_image is not None)
    dot = model.image(USER_IMAGE).copy()
    for p in at[1:]:
        qtbot.mouseMove(canvas, p)
        qtbot.waitUntil(lambda: not view._pending)
        prepared = to_uint8(prepare_image(canvas.image))
        np.testing.assert_array_equal(to_uint8(view.prepared), prepared)
        np.testing.assert_allclose(view.probabilities, probabilities(model, prepared), rtol=1e-6)
        np.testing.assert_array_equal(model.image(USER_IMAGE), dot)  # the other views wait
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=at[-1])
    np.testing.assert_array_equal(model.image(USER_IMAGE), to_uint8(prepare_image(canvas.image)))  # at its end


# -- the model's user image ---------------------------------------------------------------------------------------

def test_the_model_holds_one_user_image(qtbot, model, tiny_records, tiny_data):
    seen = []
    model.changed.connect(seen.append)
    assert not model.has_image(USER_IMAGE) and model.describe_image(USER_IMAGE) == "your drawing"
    image = np.zeros((28, 28), dtype=np.float32)
    image[5:20, 10:14] = 1.0
    image[20, 10] = 0.5
    model.set_user_image(image, label=1)
    assert seen == [frozenset({"image"})] and model.selection.image == USER_IMAGE
    assert model.image(USER_IMAGE).dtype == np.uint8 and model.image(USER_IMAGE)[20, 10] == 128  # round(127.5)
    assert model.label(USER_IMAGE) == 1
    first = model.trace().probs[0].copy()
    np.testing.assert_allclose(first, probabilities(model, model.image(USER_IMAGE)), rtol=1e-6)
    ev = model.evaluation()
    net = Network(model.start.config.network)
    net.set_params(model.snapshots[model.snapshots.at_or_before(ev.step)].params)
    np.testing.assert_allclose(model.eval_probabilities(), net.forward(to_input(model.image(USER_IMAGE)[None]))
                               .probs[0], rtol=1e-6)
    version = model.user_version
    model.set_user_image(np.ones((28, 28), np.uint8) * 255)  # a new image: no stale trace, no label
    assert model.user_version > version  # for the views' own caches
    assert model.label(USER_IMAGE) is None
    assert not np.allclose(model.trace().probs[0], first)
    np.testing.assert_allclose(model.trace().probs[0], probabilities(model, model.image(USER_IMAGE)), rtol=1e-6)
    with pytest.raises(ValueError, match="shape"):
        model.set_user_image(np.zeros((2, 28, 28)))
    # A new run keeps the image (selecting its first probe); one with another input size cannot show it.
    model.begin(tiny_records[0], tiny_data.test_images, tiny_data.test_labels)
    assert model.has_image(USER_IMAGE) and model.selection.image == int(tiny_records[0].probe_indices[0])
    model.set_user_image(np.zeros((8, 8), np.uint8))
    assert not model.has_image(USER_IMAGE)
    model.set_user_image(image)
    seen.clear()
    model.clear_user_image()
    assert not model.has_image(USER_IMAGE) and model.selection.image == int(tiny_records[0].probe_indices[0])
    assert seen == [frozenset({"image"})]


def test_the_predictions_view_shows_a_drawing_without_a_label(qtbot, model):
    from cnnviz.gui.views.predictions import RIGHT, WRONG, PredictionsView

    view = shown(qtbot, PredictionsView(model))
    image = np.zeros((28, 28), dtype=np.float32)
    image[5:20, 10:14] = 1.0
    model.set_user_image(image)
    probs = model.eval_probabilities(USER_IMAGE)
    np.testing.assert_allclose(view.bars.opts["height"], probs)
    assert view.bar_title().startswith("your drawing (step ")
    assert view.outlined() is None  # not on the page of test images
    brushes = view.bars.opts["brushes"]
    assert RIGHT not in brushes and brushes[int(probs.argmax())] == WRONG  # no true class to show in green


def test_render_draws_an_image_file_into_the_views(qtbot, tmp_path):
    from cnnviz.data import example_session_path
    from cnnviz.gui.render import RenderError, render

    example = Path(__file__).parents[2] / "docs" / "examples" / "handwritten-3.png"
    drawn = QImage(str(render(example_session_path(), tmp_path / "draw.png", view="draw", draw=str(example),
                              size="600x400")))
    empty = QImage(str(render(example_session_path(), tmp_path / "empty.png", view="draw", size="600x400")))
    assert (drawn.width(), drawn.height()) == (600, 400)
    assert drawn != empty  # the canvas, the network's input and the bars
    with pytest.raises(RenderError, match="is not an image that can be read"):
        render(example_session_path(), tmp_path / "bad.png", view="feature_maps", draw=__file__)
    assert not (tmp_path / "bad.png").exists()


def test_a_second_draw_view_shows_the_drawing_and_leaves_the_model_alone(qtbot, model):
    """File > Export makes a new view of the same class on the same model: it must not clear the drawing."""
    view = shown(qtbot, DrawView(model))
    view.canvas.stroke(SEVEN)
    view.flush()
    image, selection = model.image(USER_IMAGE).copy(), model.selection
    copy = shown(qtbot, DrawView(model))
    assert model.selection == selection
    np.testing.assert_array_equal(model.image(USER_IMAGE), image)
    np.testing.assert_array_equal(to_uint8(copy.canvas.image), image)
    np.testing.assert_allclose(copy.probabilities, view.probabilities, rtol=1e-6)
    empty_model = RunModel()
    assert shown(qtbot, DrawView(empty_model)).prepared is None and empty_model.user_image is None


def test_a_drawing_is_your_drawing_in_every_view_never_an_index(qtbot, model):
    """The user's image is image USER_IMAGE (-1) in the model; no view shows it as an index ("input #-1", "(test
    #-1)"), as a label of None, or looks it up in an evaluation's predictions (their last entry is a test image's):
    a confusion view raised after the drawing drew its matrix and asked for a cell (it raised a TypeError)."""
    from cnnviz.gui.views.confusion import ConfusionView
    from cnnviz.gui.views.playground import SELECTED, PlaygroundView
    from cnnviz.gui.views.predictions import PredictionsView
    from cnnviz.gui.views.unit import UnitView
    from tests.gui.helpers import hover

    confusion = ConfusionView(model)  # a tab behind another: drawn when raised
    qtbot.addWidget(confusion)
    image = np.zeros((28, 28), dtype=np.float32)
    image[5:20, 10:14] = 1.0
    model.set_user_image(image)
    shown(qtbot, confusion)
    assert confusion.summary.text().startswith(f"Step {model.evaluation().step} ")
    assert confusion.cell is None and confusion.gallery.count() == 0
    assert confusion.gallery_title.text() == "Click a cell to see its test images."

    maps, unit = shown(qtbot, FeatureMapsView(model)), shown(qtbot, UnitView(model))
    hover(maps.plot.scene(), maps.box.scene_pos(12, 7))
    assert maps.status.text().endswith("   (your drawing)")
    assert unit.titles[0].text == "input: your drawing"
    model.select(channel=1, pixel=(4, 4))
    assert unit.status.text().endswith(f"   (your drawing, step {model.snapshot().step})")
    unit.kind_box.setCurrentIndex(unit.kind_box.count() - 1)  # the output layer: no label to compare with
    assert unit.plain_text().endswith("; your drawing has no label")
    model.set_user_image(image, label=1)
    assert unit.plain_text().endswith("; the label is 1")
    predictions = shown(qtbot, PredictionsView(model))
    assert predictions.bar_title().startswith("your drawing, label 1 (step ")

    playground = shown(qtbot, PlaygroundView(model))
    playground.image_box.setCurrentIndex(playground.image_box.findData(SELECTED))
    assert playground.x_title.text.startswith("X = your drawing/255 ")
