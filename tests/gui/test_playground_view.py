"""The filter playground: F ⋆ X beside X, the lecture's figure 2, presets, valid and same padding, bad entries."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator

from cnnviz.gui.model import RunModel
from cnnviz.gui.views.playground import (
    LECTURE,
    PRESETS,
    SELECTED,
    PlaygroundView,
    entry_validator,
    parse_entry,
    preset,
)
from tests.gui.helpers import hover, started_model

# The lecture's figure 2 (shared/docs/lecture.md, section 2.2): X = 1..36 row by row, the cross filter.
FIGURE2_X = np.arange(1, 37).reshape(6, 6)
FIGURE2_F = [[0, 1, 0], [1, 1, 1], [0, 1, 0]]
FIGURE2_OUT = [[40, 45, 50, 55], [70, 75, 80, 85], [100, 105, 110, 115], [130, 135, 140, 145]]


def naive(F, X, mode):
    """(F ⋆ X)(j, k) = sum_mu sum_nu F(mu, nu) Xp(j + mu, k + nu), Xp zero-padded (m-1)//2 before and m//2 after
    for same: two loops over the output, two over the filter."""
    F, X = np.asarray(F, dtype=np.float64), np.asarray(X, dtype=np.float64)
    m = len(F)
    if mode == "same":
        X = np.pad(X, ((m - 1) // 2, m // 2))
    out = np.zeros((X.shape[0] - m + 1, X.shape[1] - m + 1))
    for j in range(out.shape[0]):
        for k in range(out.shape[1]):
            for mu in range(m):
                for nu in range(m):
                    out[j, k] += F[mu, nu] * X[j + mu, k + nu]
    return out


def view_of(qtbot, model=None):
    view = PlaygroundView(model if model is not None else RunModel())
    qtbot.addWidget(view)
    view.resize(700, 460)
    view.show()
    qtbot.waitExposed(view)
    return view


def choose(box, data):
    box.setCurrentIndex(box.findData(data))


def test_it_opens_on_the_lecture_example_with_its_numbers(qtbot):
    view = view_of(qtbot)
    assert view.image_choice() == LECTURE and view.padding() == "valid"
    assert view.entries() == [[str(v) for v in row] for row in FIGURE2_F]
    np.testing.assert_array_equal(view.x, FIGURE2_X)
    np.testing.assert_array_equal(view.result, FIGURE2_OUT)
    assert view.y_numbers.shown() == [[str(v) for v in row] for row in FIGURE2_OUT]
    assert view.x_numbers.shown() == [[str(v) for v in row] for row in FIGURE2_X]
    assert view.y_numbers.font_size() >= 9
    assert view.y_title.text.startswith("F ⋆ X, valid (4×4)")


def test_the_lecture_example_button_brings_figure_2_back(qtbot, tiny_run):
    data, records = tiny_run
    model = started_model(data, records)
    view = view_of(qtbot, model)
    choose(view.image_box, SELECTED)
    choose(view.padding_box, "same")
    view.preset_box.setCurrentText("Sobel x")
    np.testing.assert_array_equal(view.x, data.test_images[model.selection.image] / 255)
    qtbot.mouseClick(view.lecture_button, Qt.MouseButton.LeftButton)
    assert view.preset_box.currentText() == "cross (figure 2)"
    np.testing.assert_array_equal(view.result, FIGURE2_OUT)
    assert view.y_numbers.shown() == [[str(v) for v in row] for row in FIGURE2_OUT]


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_on_a_test_image_is_the_naive_double_loop(qtbot, tiny_run, name):
    data, records = tiny_run
    model = started_model(data, records)
    model.select(image=11)
    view = view_of(qtbot, model)
    choose(view.image_box, SELECTED)
    X = data.test_images[11] / 255
    sizes = range(2, 8) if PRESETS[name][0] is None else [3]
    for m in sizes:
        view.size_box.setValue(m)
        view.preset_box.setCurrentText(name)
        F = np.array([[parse_entry(t) for t in row] for row in preset(name, m)])
        assert F.shape == (m, m)
        np.testing.assert_array_equal(view.filter_, F)
        for mode in ("valid", "same"):
            choose(view.padding_box, mode)
            expected = naive(F, X, mode)
            assert view.result.shape == ((28 - m + 1,) * 2 if mode == "valid" else (28, 28))
            np.testing.assert_allclose(view.result, expected, rtol=1e-12, atol=1e-12)
            if name == "identity" and mode == "same":
                np.testing.assert_array_equal(view.result, X)
            assert view.y_numbers.shown() is None  # 28 x 28: too many numbers, hover reads them
    assert view.preset_box.currentText() == name


def test_the_presets_are_what_they_say():
    assert preset("cross (figure 2)") == [["0", "1", "0"], ["1", "1", "1"], ["0", "1", "0"]]
    sobel_x = np.array([[parse_entry(t) for t in row] for row in preset("Sobel x")])
    np.testing.assert_array_equal(sobel_x, [[1, 0, -1], [2, 0, -2], [1, 0, -1]])
    np.testing.assert_array_equal(np.array([[parse_entry(t) for t in row] for row in preset("Sobel y")]), sobel_x.T)
    assert preset("identity", 2) == [["1", "0"], ["0", "0"]]  # exercise 2's G
    assert preset("box blur", 2) == [["1/4", "1/4"], ["1/4", "1/4"]]
    assert sum(parse_entry(t) for row in preset("Laplacian") for t in row) == 0


def test_valid_and_same_shapes_on_the_lecture_image(qtbot):
    view = view_of(qtbot)
    for m in range(2, 8):
        view.preset_box.setCurrentText("box blur")
        view.size_box.setValue(m)
        choose(view.padding_box, "same")
        assert view.result.shape == (6, 6)
        np.testing.assert_allclose(view.result, naive(np.full((m, m), 1 / m**2), FIGURE2_X, "same"), rtol=1e-12)
        choose(view.padding_box, "valid")
        if m <= 6:
            assert view.result.shape == (7 - m, 7 - m)
        else:
            assert view.result is None
            assert view.status.text() == ("A 7×7 filter does not fit the 6×6 image with valid padding: choose same "
                                          "padding or a smaller filter.")
            assert view.y_numbers.shown() is None and view.y_box.image is None


def test_editing_a_cell_makes_the_filter_custom(qtbot):
    view = view_of(qtbot)
    view.table.item(1, 1).setText("-4")  # the cross becomes a Laplacian
    assert view.preset_box.currentText() == "custom"
    np.testing.assert_array_equal(view.result, naive([[0, 1, 0], [1, -4, 1], [0, 1, 0]], FIGURE2_X, "valid"))
    view.size_box.setValue(4)  # a custom filter keeps its top-left entries, zeros for the new ones
    assert view.entries() == [["0", "1", "0", "0"], ["1", "-4", "1", "0"], ["0", "1", "0", "0"], ["0"] * 4]
    view.set_filter([[0.5, -1], [2, 0]])
    assert view.entries() == [["0.5", "-1"], ["2", "0"]]
    np.testing.assert_array_equal(view.result, naive([[0.5, -1], [2, 0]], FIGURE2_X, "valid"))


@pytest.mark.parametrize(("text", "why"), [
    ("abc", "'abc' is not a number"),
    ("1/0", "'1/0' divides by zero"),
    ("", "it is empty"),
    ("2,5", "'2,5' is not a number"),
    ("1/", "'1/' is not a number"),
])
def test_a_bad_entry_is_named_in_one_line_and_gives_no_result(qtbot, text, why):
    view = view_of(qtbot)
    view.table.item(0, 2).setText(text)
    assert view.result is None
    assert view.status.text() == (f"Filter entry F(0, 2) is not usable: {why} (write a number such as -1, 0.25 or a "
                                  "fraction such as 1/9).")
    assert view.y_box.image is None and view.y_title.text == "F ⋆ X: none"
    view.table.item(0, 2).setText("0")  # fixed: the result is back
    np.testing.assert_array_equal(view.result, FIGURE2_OUT)


def test_the_cells_editor_refuses_what_is_not_a_number(qtbot):
    validator = entry_validator()
    for text, value in (("1", 1), ("-0.25", -0.25), ("+3.", 3), (".5", 0.5), ("1e-3", 0.001), ("1/9", 1 / 9),
                        (" 2 / 3 ", 2 / 3), ("-1/-4", 0.25)):
        assert validator.validate(text, 0)[0] == QValidator.State.Acceptable, text
        assert parse_entry(text) == value
    for text in ("-", "1/", "1e"):
        assert validator.validate(text, 0)[0] == QValidator.State.Intermediate, text
    for text in ("abc", "1/9x", "2,5", "1//2", "--1"):
        assert validator.validate(text, 0)[0] == QValidator.State.Invalid, text
    # Typing into a cell: letters are refused, so the cell keeps its number.
    view = view_of(qtbot)
    index = view.table.model().index(0, 0)
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    editor = view.table.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "x-1/2y")
    assert editor.text() == "-1/2"
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits on the next turn of the event loop
    qtbot.waitUntil(lambda: view.entries()[0][0] == "-1/2")
    assert view.filter_[0, 0] == -0.5
    assert view.preset_box.currentText() == "custom"
    view.table.edit(index)
    editor = view.table.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "-")  # unfinished: not committed
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.wait(20)
    assert view.entries()[0][0] == "-1/2"


def test_it_follows_the_selected_image(qtbot, tiny_run):
    data, records = tiny_run
    model = started_model(data, records)
    view = view_of(qtbot, model)
    choose(view.image_box, SELECTED)
    view.preset_box.setCurrentText("Sobel y")
    model.select(image=5)
    np.testing.assert_array_equal(view.x, data.test_images[5] / 255)
    F = [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]
    np.testing.assert_allclose(view.result, naive(F, data.test_images[5] / 255, "valid"), rtol=1e-12, atol=1e-12)
    assert view.x_title.text == "X = test #5/255 (28×28)"
    choose(view.image_box, LECTURE)
    model.select(image=6)  # the lecture image stays
    np.testing.assert_array_equal(view.x, FIGURE2_X)


def test_without_a_run_only_the_lecture_image_can_be_chosen(qtbot):
    view = view_of(qtbot)
    assert not view.image_box.model().item(0).isEnabled()
    assert view.image_choice() == LECTURE


def test_hovering_a_value_writes_its_sum_and_outlines_its_window(qtbot):
    view = view_of(qtbot)
    hover(view.plot.scene(), view.scene_pos("y", 0, 0))
    assert view.status.text() == "(F ⋆ X)(0, 0) = 1·2 + 1·7 + 1·8 + 1·9 + 1·14 = 40"
    assert view.window_outline.isVisible() and view.window_outline.rect().getRect() == (0, 0, 3, 3)
    hover(view.plot.scene(), view.scene_pos("y", 3, 3))
    assert view.status.text() == "(F ⋆ X)(3, 3) = 1·23 + 1·28 + 1·29 + 1·30 + 1·35 = 145"
    choose(view.padding_box, "same")  # the corner sees the padding's zeros
    hover(view.plot.scene(), view.scene_pos("y", 0, 0))
    assert view.status.text() == "(F ⋆ X)(0, 0) = 1·0 + 1·0 + 1·1 + 1·2 + 1·7 = 10"
    assert view.window_outline.rect().getRect() == (-1, -1, 3, 3)
    view.preset_box.setCurrentText("Sobel y")  # negative weights are subtracted: never "+ -1·13"
    choose(view.padding_box, "valid")
    hover(view.plot.scene(), view.scene_pos("y", 0, 0))
    assert view.status.text() == "(F ⋆ X)(0, 0) = 1·1 + 2·2 + 1·3 − 1·13 − 2·14 − 1·15 = -48"
    hover(view.plot.scene(), view.scene_pos("x", 2, 4))
    assert view.status.text() == "X(2, 4) = 17"
    assert not view.window_outline.isVisible()
