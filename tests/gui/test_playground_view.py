"""The filter playground: F ⋆ X beside X, the lecture's figure 2, presets, valid and same padding, bad entries."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator

from cnnviz.gui.model import RunModel
from cnnviz.gui.views.playground import (
    FILE,
    LECTURE,
    MAX_FILE,
    PRESETS,
    SELECTED,
    TYPED,
    PlaygroundView,
    entry_validator,
    parse_entry,
    parse_matrix,
    preset,
)
from cnnviz.lecture import EXERCISE1, EXERCISE2, EXERCISE2_G
from tests.gui.helpers import hover, started_model
from tests.gui.test_draw_view import write_image

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
    with qtbot.waitExposed(view):
        view.show()
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
    assert view.status.text() == (f"Filter entry F(1, 3) is not usable: {why} (write a number such as -1, 0.25 or a "
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
    assert view.x_title.text == "X = test #6/255 (28×28)"  # test image 5, counted from 1
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
    assert view.status.text() == "(F ⋆ X)(1, 1) = 1·2 + 1·7 + 1·8 + 1·9 + 1·14 = 40"  # counted from 1
    assert view.window_outline.isVisible() and view.window_outline.rect().getRect() == (0, 0, 3, 3)
    hover(view.plot.scene(), view.scene_pos("y", 3, 3))
    assert view.status.text() == "(F ⋆ X)(4, 4) = 1·23 + 1·28 + 1·29 + 1·30 + 1·35 = 145"
    choose(view.padding_box, "same")  # the corner sees the padding's zeros
    hover(view.plot.scene(), view.scene_pos("y", 0, 0))
    assert view.status.text() == "(F ⋆ X)(1, 1) = 1·0 + 1·0 + 1·1 + 1·2 + 1·7 = 10"
    assert view.window_outline.rect().getRect() == (-1, -1, 3, 3)
    view.preset_box.setCurrentText("Sobel y")  # negative weights are subtracted: never "+ -1·13"
    choose(view.padding_box, "valid")
    hover(view.plot.scene(), view.scene_pos("y", 0, 0))
    assert view.status.text() == "(F ⋆ X)(1, 1) = 1·1 + 2·2 + 1·3 − 1·13 − 2·14 − 1·15 = -48"
    hover(view.plot.scene(), view.scene_pos("x", 2, 4))
    assert view.status.text() == "X(3, 5) = 17"
    assert not view.window_outline.isVisible()


# The notes' exercises (練習 1 and 2, sections 2.2 and 2.3) and their printed answers (解答), typed from the notes.
EXERCISE_X = [[16, 2, 3, 13], [5, 11, 10, 8], [9, 7, 6, 12], [4, 14, 15, 1]]
EXERCISE_F = [[0, 1, 0], [1, 1, 1], [0, -1, 1]]
EXERCISE1_OUT = [[27, 38], [34, 21]]
EXERCISE2_PADDED = [[0] * 6] + [[0, *row, 0] for row in EXERCISE_X] + [[0] * 6]  # the notes' X̃
EXERCISE2_OUT = [[24, 20, 16, 8], [30, 27, 38, 19], [31, 34, 21, 25], [27, 40, 36, 28]]


def texts(rows):
    return [[str(v) for v in row] for row in rows]


def test_exercise_1_gives_the_notes_answer(qtbot):
    view = view_of(qtbot)
    assert view.answer.text().startswith("Figure 2, the notes' answer: F ⋆ X = [40 45 50 55; 70 75 80 85;")
    qtbot.mouseClick(view.exercise_buttons[0], Qt.MouseButton.LeftButton)
    assert view.image_choice() == TYPED and view.padding() == "valid" and view.x_edit.isVisible()
    np.testing.assert_array_equal(view.x, EXERCISE_X)
    np.testing.assert_array_equal(view.filter_, EXERCISE_F)
    np.testing.assert_array_equal(view.result, EXERCISE1_OUT)
    assert view.y_numbers.shown() == texts(EXERCISE1_OUT)
    assert view.answer.text() == "Exercise 1, the notes' answer: F ⋆ X = [27 38; 34 21], the same as here."
    assert view.padded_box.vb not in view.plot.ci.items  # valid padding: no X̃
    hover(view.plot.scene(), view.scene_pos("y", 1, 1))
    assert view.status.text() == "(F ⋆ X)(2, 2) = 1·10 + 1·7 + 1·6 + 1·12 − 1·15 + 1·1 = 21"


def test_exercise_2_draws_the_padded_x_and_gives_both_answers(qtbot):
    view = view_of(qtbot)
    qtbot.mouseClick(view.exercise_buttons[1], Qt.MouseButton.LeftButton)
    assert view.image_choice() == TYPED and view.padding() == "same"
    np.testing.assert_array_equal(view.result, EXERCISE2_OUT)
    assert view.y_numbers.shown() == texts(EXERCISE2_OUT)
    assert view.padded_box.vb in view.plot.ci.items
    np.testing.assert_array_equal(view.padded, EXERCISE2_PADDED)  # the notes' X̃, zeros all round
    assert view.padded_numbers.shown() == texts(EXERCISE2_PADDED)
    assert view.padded_title.text.startswith("X̃, X zero-padded (6×6)")
    assert view.answer.text() == ("Exercise 2, the notes' answer: F ⋆zp X = [24 20 16 8; 30 27 38 19; 31 34 21 25; "
                                  "27 40 36 28], the same as here. Its second part, G = [1 0; 0 0]: choose "
                                  "identity with m = 2.")
    hover(view.plot.scene(), view.scene_pos("y", 0, 0))  # its window on X̃ starts at X̃'s corner
    assert view.padded_outline.isVisible() and view.padded_outline.rect().getRect() == (0, 0, 3, 3)
    assert view.status.text() == "(F ⋆ X)(1, 1) = 1·0 + 1·0 + 1·16 + 1·2 − 1·5 + 1·11 = 24"
    hover(view.plot.scene(), view.scene_pos("padded", 0, 3))
    assert view.status.text() == "X̃(1, 4) = 0, the padding"
    hover(view.plot.scene(), view.scene_pos("padded", 2, 3))
    assert view.status.text() == "X̃(3, 4) = X(2, 3) = 10"
    # The second part: G = [[1, 0], [0, 0]] (identity at m = 2). For an even m, X̃ drops the first zero row and
    # column (as the notes' answer G ⋆zp X = X and Cnv2 do): X with one zero row and column after it.
    view.preset_box.setCurrentText("identity")
    view.size_box.setValue(2)
    np.testing.assert_array_equal(view.filter_, EXERCISE2_G.filter)
    np.testing.assert_array_equal(view.result, EXERCISE_X)
    np.testing.assert_array_equal(view.padded, np.pad(EXERCISE_X, ((0, 1), (0, 1))))
    assert view.answer.text() == ("Exercise 2 (G), the notes' answer: G ⋆zp X = [16 2 3 13; 5 11 10 8; 9 7 6 12; "
                                  "4 14 15 1], the same as here.")
    choose(view.padding_box, "valid")  # not one of the notes' examples: no answer, no X̃
    assert view.answer.text() == "" and view.padded_box.vb not in view.plot.ci.items


def test_the_worked_examples_are_the_notes():
    assert [list(r) for r in EXERCISE1.x] == EXERCISE_X and [list(r) for r in EXERCISE1.filter] == EXERCISE_F
    assert [list(r) for r in EXERCISE1.answer] == EXERCISE1_OUT
    assert [list(r) for r in EXERCISE2.answer] == EXERCISE2_OUT and EXERCISE2.padding == "same"


def test_a_typed_x_takes_numbers_and_fractions(qtbot):
    view = view_of(qtbot)
    choose(view.image_box, TYPED)
    view.x_edit.setPlainText("1/2 1\n3, -1 / 4")
    np.testing.assert_array_equal(view.x, [[0.5, 1], [3, -0.25]])
    assert view.result is None  # the 3x3 cross does not fit a 2x2 X
    choose(view.padding_box, "same")
    np.testing.assert_allclose(view.result, naive(FIGURE2_F, [[0.5, 1], [3, -0.25]], "same"), rtol=1e-12)
    view.x_edit.setPlainText("[16 2 3 13; 5 11 10 8; 9 7 6 12; 4 14 15 1]")  # as MATLAB writes it
    np.testing.assert_array_equal(view.x, EXERCISE_X)
    big = np.arange(32 * 32).reshape(32, 32) % 7
    view.x_edit.setPlainText("\n".join(" ".join(str(v) for v in row) for row in big))
    np.testing.assert_array_equal(view.x, big)
    np.testing.assert_allclose(view.result, naive(FIGURE2_F, big, "same"), rtol=1e-12)


@pytest.mark.parametrize(("text", "sentence"), [
    ("", "X is empty: type its rows, one a line, such as 16 2 3 13."),
    ("1 2 3\n4 5", "Row 2 of X has 2 entries and row 1 has 3: every row of X needs as many."),
    ("1 2\n3 x", "Entry X(2, 2) is not usable: 'x' is not a number (write a number such as -1, 0.25 or a fraction "
                  "such as 1/9)."),
    ("1 1/0", "Entry X(1, 2) is not usable: '1/0' divides by zero (write a number such as -1, 0.25 or a fraction "
              "such as 1/9)."),
    ("\n".join(["1 " * 33] * 2), "X is 2×33: type at most 32×32 entries."),
])
def test_a_bad_typed_x_is_one_sentence_and_no_result(qtbot, text, sentence):
    view = view_of(qtbot)
    choose(view.image_box, TYPED)
    view.x_edit.setPlainText(text)
    assert view.status.text() == sentence
    assert view.x is None and view.result is None and view.x_box.image is None and view.y_box.image is None
    with pytest.raises(ValueError, match="^" + re.escape(sentence) + "$"):
        parse_matrix(text)
    view.x_edit.setPlainText("1 2\n3 4")  # fixed: a result again (same padding fits)
    choose(view.padding_box, "same")
    np.testing.assert_array_equal(view.result, naive(FIGURE2_F, [[1, 2], [3, 4]], "same"))


def test_an_image_file_is_taken_as_it_is_for_the_sobel_filters(qtbot, tmp_path):
    rows, cols = np.mgrid[0:128, 0:160]
    pixels = np.where((rows - 64) ** 2 + (cols - 80) ** 2 < 40 ** 2, 220, 30).astype(np.uint8)  # a bright disc
    write_image(tmp_path / "disc.png", pixels, "PNG")
    view = view_of(qtbot)
    assert not view.image_box.model().item(view.image_box.findData(FILE)).isEnabled()
    assert view.load_file(str(tmp_path / "disc.png"))
    assert view.image_choice() == FILE
    np.testing.assert_allclose(view.x, pixels / 255, rtol=1e-6)  # not prepared: 128 x 160, as it is (grey, float32)
    assert view.x_title.text == "X = disc.png (128×160)"
    for name, F in (("Sobel x", [[1, 0, -1], [2, 0, -2], [1, 0, -1]]), ("Sobel y", [[1, 2, 1], [0, 0, 0], [-1, -2, -1]])):
        view.preset_box.setCurrentText(name)
        assert view.result.shape == (126, 158)
        np.testing.assert_allclose(view.result, naive(F, view.x, "valid"), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(view.result[:, 10], 0)  # left of the disc: a flat grey, no edge
    choose(view.image_box, LECTURE)  # the file stays to be chosen again
    choose(view.image_box, FILE)
    np.testing.assert_allclose(view.x, pixels / 255, rtol=1e-6)
    side = np.zeros((MAX_FILE, MAX_FILE, 3), dtype=np.uint8)  # the largest, in colour: grey
    side[..., 0] = 255
    write_image(tmp_path / "red.png", side, "PNG")
    assert view.load_file(str(tmp_path / "red.png"))
    np.testing.assert_allclose(view.x, 0.299, rtol=1e-6)


@pytest.mark.parametrize(("name", "content", "words"), [
    ("large.png", "large", "large.png is 300 × 200 pixels: the playground takes images of at most 256 × 256 as they "
                           "are (crop or shrink it)."),
    ("notes.png", b"this is not a picture\n", "notes.png is not an image that can be read (PNG, JPEG or BMP)."),
    ("missing.png", None, "missing.png does not exist or is not a file."),
])
def test_a_bad_image_file_is_one_sentence_and_x_stays(qtbot, tmp_path, name, content, words):
    path = tmp_path / name
    if content == "large":
        write_image(path, np.zeros((200, 300), dtype=np.uint8), "PNG")
    elif content is not None:
        path.write_bytes(content)
    view = view_of(qtbot)
    assert not view.load_file(str(path))
    assert view.status.text().endswith(words) and "\n" not in view.status.text()
    assert view.image_choice() == LECTURE
    np.testing.assert_array_equal(view.result, FIGURE2_OUT)
