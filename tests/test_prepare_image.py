"""prepare_image: any image of a digit prepared as MNIST's were (20 x 20 box, centre of mass at the centre)."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.data import example_session_path, load_sample, prepare_image, to_input, to_uint8
from cnnviz.imageprep import CENTRE, resample
from cnnviz.session.reader import SessionReader


def centre_of_mass(x: np.ndarray) -> tuple[float, float]:
    total = x.sum()
    return (float(x.sum(axis=1) @ np.arange(x.shape[0]) / total), float(x.sum(axis=0) @ np.arange(x.shape[1]) / total))


def bbox(x: np.ndarray) -> tuple[int, int]:
    rows, cols = np.flatnonzero(x.any(axis=1)), np.flatnonzero(x.any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def test_a_bar_is_scaled_to_the_box_keeping_its_aspect_and_centred_by_its_mass():
    image = np.zeros((100, 60), dtype=np.uint8)
    image[5:45, 40:50] = 255  # 40 x 10, in a corner: 20 x 5 once prepared
    x = prepare_image(image)
    assert x.shape == (28, 28) and x.dtype == np.float32
    assert bbox(x) == (20, 5)
    assert x.min() == 0 and x.max() == 1
    np.testing.assert_array_equal(x[x > 0], 1.0)  # an exact 8x shrink of a solid bar: no grey at its edges
    r, c = centre_of_mass(x)
    assert abs(r - CENTRE) <= 0.5 and abs(c - CENTRE) <= 0.5


def test_the_centre_of_mass_not_the_box_is_centred():
    image = np.zeros((40, 40), dtype=np.float64)
    image[0:20, 0:20] = 1.0  # a heavy square
    image[38:40, 0:20] = 1.0  # a thin line far below it: the box is 40 tall, the mass near its top
    x = prepare_image(image)
    assert bbox(x) == (20, 10)
    r, c = centre_of_mass(x)
    assert abs(r - CENTRE) <= 0.5 and abs(c - CENTRE) <= 0.5
    rows = np.flatnonzero(x.any(axis=1))
    assert rows[0] + rows[-1] > 2 * CENTRE  # the box sits low, so that its mass is at the centre


def test_a_box_whose_mass_lies_at_one_side_stays_inside_the_image():
    image = np.zeros((64, 64), dtype=np.uint8)
    image[2:5, 2:62] = 255  # a heavy bar at the top
    image[5:62, 61] = 40  # a faint long stroke: the box is 60 x 60, its mass at the top
    x = prepare_image(image)
    assert bbox(x) == (20, 20)  # nothing cut off
    rows = np.flatnonzero(x.any(axis=1))
    assert (rows[0], rows[-1]) == (8, 27)  # as low as it goes: its mass (near its top) as near the centre as can be
    assert centre_of_mass(x)[0] < CENTRE - 2


def test_a_small_image_grows_to_the_box():
    image = np.zeros((8, 8), dtype=np.uint8)
    image[2:6, 3:5] = 255
    x = prepare_image(image)
    assert bbox(x) == (20, 10)
    assert 0.99 <= x.max() <= 1.0


def test_dark_on_light_is_inverted_and_colour_becomes_grey():
    light = np.zeros((50, 50), dtype=np.uint8)
    light[10:40, 20:30] = 200
    expected = prepare_image(light)
    dark = 255 - light  # black ink on white paper
    np.testing.assert_allclose(prepare_image(dark), expected, atol=1e-6)
    paper, ink = np.array([250, 240, 220.0]), np.array([10, 20, 160.0])
    colour = np.where(light[..., None] > 0, ink, paper).astype(np.uint8)  # blue ink on cream paper
    np.testing.assert_allclose(prepare_image(colour), expected, atol=1e-6)
    rgba = np.concatenate([colour, np.full((50, 50, 1), 255, np.uint8)], axis=2)
    np.testing.assert_allclose(prepare_image(rgba), expected, atol=1e-6)
    transparent = np.zeros((50, 50, 4), dtype=np.uint8)  # black ink on a transparent canvas
    transparent[..., 3] = np.where(light > 0, 255, 0)
    np.testing.assert_allclose(prepare_image(transparent), expected, atol=1e-6)
    np.testing.assert_allclose(prepare_image(light / 255.0), expected, atol=1e-6)  # float in [0, 1]


def test_an_integer_image_is_read_at_its_bit_depth():
    """A 16-bit dark-on-light digit was divided by 255 and clipped: every pixel white, "the image is empty". uint16
    counts 0..65535; a wider integer type (a list of numbers) by the largest value it holds."""
    light = np.zeros((50, 50), dtype=np.uint8)
    light[10:40, 20:30] = 200
    light[10:40, 22] = 90  # grey levels, so that the scale shows in the result
    expected = prepare_image(light)
    sixteen = (255 - light).astype(np.uint16) * 257  # 0..255 -> 0..65535: black ink on white paper
    np.testing.assert_allclose(prepare_image(sixteen), expected, atol=1e-6)
    np.testing.assert_allclose(prepare_image(light.astype(np.uint16) * 257), expected, atol=1e-6)
    np.testing.assert_allclose(prepare_image(light.astype(np.int64)), expected, atol=1e-6)
    np.testing.assert_allclose(prepare_image((255 - light).astype(np.int32) * 257), expected, atol=1e-6)


def test_an_mnist_digit_is_almost_unchanged():
    images = load_sample().test_images[:50]
    for image in images:
        x = prepare_image(image)
        assert np.abs(x - image / 255).mean() < 0.02


@pytest.mark.parametrize(("array", "words"), [
    (np.zeros((28, 28)), "empty"),
    (np.full((5, 7, 3), 200, np.uint8), "empty"),
    (np.zeros((0, 5)), "at least 1 x 1"),
    (np.zeros((4, 4, 2)), "RGB"),
    (np.zeros(10), "RGB"),
    (np.array([["a"]]), "numbers"),
    (np.full((4, 4), np.nan), "finite"),
    (np.array([[0.0, 254.0]]), r"A float image must hold values from 0 to 1, not 0 to 254 \(divide 8-bit pixels"),
    (np.array([[-0.5, 0.5]]), "A float image must hold values from 0 to 1, not -0.5 to 0.5"),
    (np.array([[-1, 20]], np.int8), "An image's integer pixels must be from 0 to 255, not -1 to 20"),
    (np.array([[0, 70000]]), "An image's integer pixels must be from 0 to 65535, not 0 to 70000"),
])
def test_bad_input_is_one_sentence(array, words):
    with pytest.raises(ValueError, match=words) as info:
        prepare_image(array)
    text = str(info.value)
    assert text.endswith(".") and "\n" not in text and text.count(". ") == 0


def test_resample_keeps_the_range_and_the_mean():
    rng = np.random.default_rng(0)
    x = rng.random((37, 23)).astype(np.float32)
    down = resample(x, (10, 7))
    assert down.shape == (10, 7) and down.min() >= x.min() and down.max() <= x.max()
    np.testing.assert_allclose(resample(np.ones((37, 23)), (10, 7)), 1.0, rtol=1e-6)
    np.testing.assert_allclose(resample(x, (37, 23)), x)  # the same size: unchanged
    np.testing.assert_allclose(resample(np.kron(x, np.ones((4, 4))), (37, 23)), x, rtol=1e-5)  # area: exact
    up = resample(x, (74, 46))
    assert up.min() >= x.min() and up.max() <= x.max()


def _trained_network():
    with SessionReader(example_session_path()) as reader:  # a short run that ships with cnnviz
        return reader.network(-1)


def test_shifted_scaled_and_inverted_mnist_digits_are_classified_as_well_as_the_originals():
    """The example session's last snapshot (about 96% right on the sample) on 400 sample test digits: as they
    are, shifted by up to 4 pixels, scaled 2x onto a 64 x 64 canvas at a random place, and the same in blue
    ink on cream paper. Prepared, each is classified within 3 points of the originals; unprepared, the scaled
    and the inverted ones are not (so the test can fail)."""
    net = _trained_network()
    data = load_sample()
    images, labels = data.test_images[:400], data.test_labels[:400]
    rng = np.random.default_rng(1)

    def accuracy(batch) -> float:
        return float((net.forward(to_input(np.asarray(batch))).probs.argmax(axis=1) == labels).mean())

    def prepared(batch) -> np.ndarray:
        return np.stack([to_uint8(prepare_image(b)) for b in batch])

    shifted, big, inked = [], [], []
    for image in images:
        dy, dx = rng.integers(-4, 5, size=2)
        moved = np.zeros_like(image)  # what moves out of the image is lost (MNIST leaves a 4-px margin)
        moved[max(dy, 0):28 + min(dy, 0), max(dx, 0):28 + min(dx, 0)] = \
            image[max(-dy, 0):28 - max(dy, 0), max(-dx, 0):28 - max(dx, 0)]
        shifted.append(moved)
        canvas = np.zeros((64, 64), dtype=np.uint8)
        oy, ox = rng.integers(0, 9, size=2)
        canvas[oy:oy + 56, ox:ox + 56] = image.repeat(2, axis=0).repeat(2, axis=1)
        big.append(canvas)
        ink = canvas[..., None] / 255.0
        inked.append(np.round(np.array([240, 235, 220.0]) * (1 - ink) + np.array([20, 40, 150.0]) * ink)
                     .astype(np.uint8))
    original = accuracy(images)
    assert original > 0.6
    for variant in (images, shifted, big, inked):
        assert abs(accuracy(prepared(variant)) - original) <= 0.03
    grey_inked = [255 - b for b in big]  # dark on light, not prepared
    assert accuracy([b[4:32, 4:32] for b in big]) < original - 0.2
    assert accuracy([b[4:32, 4:32] for b in grey_inked]) < original - 0.2


def test_a_large_photo_is_shrunk_first_and_prepared_the_same():
    """A side above MAX_SIDE: the image is first averaged in blocks; the digit comes out as from a small copy."""
    digit = load_sample().test_images[0]
    small = np.full((60, 50), 230, dtype=np.uint8)
    small[10:38, 12:40] = 230 - digit * (200 / 255)
    big = small.repeat(50, axis=0).repeat(50, axis=1)  # 3000 x 2500: shrunk by k = 2 blocks
    np.testing.assert_allclose(prepare_image(big), prepare_image(small), atol=0.02)
    assert np.abs(prepare_image(big) - digit / 255).mean() < 0.02
