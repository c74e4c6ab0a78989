"""cnnviz as an installed package: its resources inside the package (importlib.resources), one version, the icon and
the desktop entry, where sessions go. (.ci/run also builds the wheel, installs it into a fresh virtual environment
outside the checkout and trains and renders from there.)"""

from __future__ import annotations

import configparser
import importlib.metadata
import subprocess
import sys
import xml.etree.ElementTree as ET
from fnmatch import fnmatch
from importlib.resources import files
from pathlib import Path

import pytest

import cnnviz
from cnnviz import data
from cnnviz.session import schema

tomllib = pytest.importorskip("tomllib")  # Python 3.11+
REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_resources_are_a_package_read_with_importlib_resources():
    resources = files("cnnviz.resources")
    names = {p.name for p in resources.iterdir()}
    assert {"mnist-sample.npz", "MNIST-LICENSE.md", "example-session.h5", "cnnviz.svg", "cnnviz.png",
            "cnnviz.desktop"} <= names
    assert data.resources_dir() == Path(str(resources))
    assert data.load_sample().source == "bundled sample (2000 train / 1000 test)"
    assert data.example_session_path().is_file()


def test_every_package_and_resource_goes_into_the_wheel():
    setuptools = PYPROJECT["tool"]["setuptools"]
    packages = set(setuptools["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "cnnviz").rglob("__init__.py")}
    assert found - packages == set(), "a package is missing from [tool.setuptools] packages in pyproject.toml"
    assert setuptools["package-dir"] == {"cnnviz.resources": "resources"}
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["cnnviz.resources"]
    shipped = [p.name for p in (REPO / "resources").iterdir() if p.is_file() and p.suffix != ".py"]
    left_out = [name for name in shipped if not any(fnmatch(name, pattern) for pattern in patterns)]
    assert left_out == [], "a file of resources/ matches no package-data pattern in pyproject.toml"
    catalogues = [p.relative_to(REPO / "resources").as_posix() for p in (REPO / "resources" / "i18n").glob("*.qm")]
    assert catalogues and all(any(fnmatch(name, pattern) for pattern in patterns) for name in catalogues), \
        "the translations (resources/i18n/*.qm) go into the wheel"


def test_the_version_has_one_source():
    assert PYPROJECT["project"]["dynamic"] == ["version"] and "version" not in PYPROJECT["project"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "cnnviz.__version__"}
    assert importlib.metadata.version("cnnviz") == cnnviz.__version__
    out = subprocess.run([sys.executable, "-m", "cnnviz", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout == f"cnnviz {cnnviz.__version__}\n" and out.stderr == ""


def test_the_icon_and_the_desktop_entry():
    svg = ET.parse(REPO / "resources" / "cnnviz.svg").getroot()
    assert svg.tag.endswith("svg") and svg.get("viewBox") == "0 0 64 64"
    png = (REPO / "resources" / "cnnviz.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 256  # 256 pixels wide
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(REPO / "resources" / "cnnviz.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Exec"].split()[0] == "cnnviz"
    assert desktop["Icon"] == "cnnviz" and desktop["Terminal"] == "false" and desktop["Categories"].endswith(";")


def test_the_window_and_the_about_box_have_the_icon(qtbot):
    from cnnviz.gui.app import MainWindow, app_icon

    icon = app_icon()
    assert not icon.isNull() and icon.pixmap(64, 64).width() == 64
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    assert not window.windowIcon().isNull()  # QMessageBox.about takes its parent's icon


def test_sessions_go_to_the_checkout_or_the_user_data_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("CNNVIZ_SESSIONS")  # the tests' own directory (conftest.py)
    assert schema.default_session_dir() == REPO / "sessions"
    installed = tmp_path / "site-packages" / "cnnviz" / "resources"  # a wheel's layout: no sessions/ beside it
    installed.mkdir(parents=True)
    monkeypatch.setattr(schema, "resources_dir", lambda: installed)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert schema.default_session_dir() == tmp_path / "data" / "cnnviz" / "sessions"
