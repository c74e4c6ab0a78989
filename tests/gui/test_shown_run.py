"""The training form follows the run shown (issue 18): a session's own settings, and after a run its starting
settings, never a learning rate set by hand."""

from __future__ import annotations

import pytest

from cnnviz.config import make_config
from cnnviz.data import load_sample
from cnnviz.gui.app import MainWindow
from cnnviz.gui.shown_run import NEW_RUN_TEXT
from cnnviz.gui.main import build_parser
from cnnviz.training import Trainer
from tests.gui.helpers import write_session


@pytest.fixture(scope="module")
def fc16_session(tmp_path_factory):
    """A run of hidden fc 16 on 300 sample images, preset lecture with a learning rate of its own."""
    config = make_config("lecture", conv=(2,), fc=(16, 10), epochs=1, batch_size=50, snapshot_every=2, lr=0.03)
    data = load_sample().limited(300, 100)
    return write_session(tmp_path_factory.mktemp("shown") / "fc16.h5", Trainer(config, data).run())


@pytest.fixture
def make_window(qtbot, tmp_path):
    def make(*options: str) -> MainWindow:
        window = MainWindow(build_parser().parse_args([*options, "--out", str(tmp_path / "run.h5")]),
                            remember=False)
        qtbot.addWidget(window)
        window.show()
        return window

    return make


def test_a_session_shown_puts_its_settings_in_the_form(make_window, fc16_session, qtbot):
    w = make_window("--preset", "fast", "--data", "sample", "--conv", "4")
    assert w.controls.config().network.fc == (100, 200, 10) and w.controls.config().preset == "fast"
    start_text = w.start_action.text()
    assert w.open_session(fc16_session)
    shown = w.controls.config()
    assert (shown.network.fc, shown.network.conv[0].filters, shown.preset, shown.lr) == ((16, 10), 2, "lecture", 0.03)
    assert shown == w.model.start.config
    spec = w.controls.data_spec()
    assert (spec.source, spec.limit_train, spec.limit_test) == ("sample", 300, 100)
    assert w.start_action.text() == NEW_RUN_TEXT and w.controls.is_valid() and w.start_action.isEnabled()
    w.start_run()  # a new run of those settings
    qtbot.waitUntil(lambda: w.state == "idle" and w.model.end is not None, timeout=30_000)
    assert w.model.start.config.network.fc == (16, 10) and w.model.start.n_train == 300
    w.new_run()  # the form's network: Start is Start again
    qtbot.waitUntil(lambda: w.showing_preview, timeout=10_000)
    assert w.start_action.text() == start_text


def test_a_learning_rate_set_by_hand_stays_in_its_run(make_window, qtbot):
    w = make_window("--data", "sample", "--limit-train", "300", "--limit-test", "100", "--conv", "2", "--fc", "8",
                    "--batch-size", "50", "--epochs", "1000")
    w.start_run()
    qtbot.waitUntil(lambda: w.model.n_steps > 0, timeout=10_000)
    w.controls.lr.setValue(0.02)
    w.controls.momentum.setValue(0.5)
    qtbot.waitUntil(lambda: {e.kind for e in w.model.events} >= {"lr", "momentum"}, timeout=5000)
    w.stop_run()
    qtbot.waitUntil(lambda: w.state == "idle", timeout=20_000)
    assert (w.controls.lr.value(), w.controls.momentum.value()) == (0.01, 0.2)  # the run's, as it started
    assert w.controls.config() == w.model.start.config and w.start_action.text() == NEW_RUN_TEXT
    assert [(e.kind, e.value) for e in w.model.events if e.kind in ("lr", "momentum")] == [("lr", 0.02),
                                                                                             ("momentum", 0.5)]
