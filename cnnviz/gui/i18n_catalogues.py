"""The translation catalogues: which source files each one holds, and how they are made (``make translations``).

Each area of the code has its own catalogue, so that people translating different parts never edit the same file:
:data:`AREAS` maps ``resources/i18n/<language>_<area>.ts`` to the source files whose marked strings it holds
(every file of ``cnnviz/gui`` belongs to exactly one area; the tests check it). :func:`update` runs
``pyside6-lupdate`` on each area (new strings added unfinished, vanished ones dropped, no line numbers kept, so
that a catalogue changes only when its strings do); :func:`release` runs ``pyside6-lrelease`` on them all into the
one ``resources/i18n/cnnviz_<language>.qm`` that the package ships. :func:`pseudo` makes a catalogue whose every
translation is its source between :data:`PSEUDO` marks (the tests look for text left unmarked with it).

``python -m cnnviz.gui.i18n_catalogues`` (``make translations``) updates the catalogues and releases them.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import PySide6

REPO = Path(__file__).resolve().parents[2]
FOLDER = REPO / "resources" / "i18n"
LANGUAGE = "ja"
INSIDE = ("unit*.py", "feature_maps.py", "filters.py", "pooling.py", "overview*.py", "deltas.py", "playground*.py",
          "probes.py", "cells.py", "numbers.py", "momentum.py", "slide.py")  # cnnviz/gui/views/: Look inside
# area -> the patterns (relative to the repository) of its source files; "views/*" is what the others leave
AREAS: dict[str, tuple[str, ...]] = {
    "window": ("cnnviz/*.py", "cnnviz/core/*.py", "cnnviz/session/*.py", "cnnviz/gui/*.py"),  # the shell, and the
    # Qt-free layers' sentences
    "inside": tuple(f"cnnviz/gui/views/{p}" for p in INSIDE),  # Look inside and Back-propagation
    "training": ("cnnviz/gui/views/*.py",),  # every other view: training, predictions, the form
}
PSEUDO = ("⟦", "⟧")
LUPDATE_OPTIONS = ("-locations", "none", "-no-obsolete", "-target-language", LANGUAGE)


def tool(name: str) -> str:
    """Qt's lupdate or lrelease as PySide6 ships them."""
    return str(Path(PySide6.__file__).parent / name)


def sources(area: str) -> list[Path]:
    """The source files of ``area``: its patterns' files, less those of the areas before it."""
    taken = {p for earlier in list(AREAS)[:list(AREAS).index(area)] for p in sources(earlier)}
    return sorted({p for pattern in AREAS[area] for p in REPO.glob(pattern)} - taken)


def catalogue(area: str, language: str = LANGUAGE) -> Path:
    return FOLDER / f"{language}_{area}.ts"


def released(language: str = LANGUAGE) -> Path:
    return FOLDER / f"cnnviz_{language}.qm"


def run(command: list[str]) -> str:
    """Run lupdate or lrelease; its output (RuntimeError with it where it fails)."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} failed: {done.stdout}{done.stderr}")
    return done.stdout


def update(area: str, ts: Path | None = None) -> str:
    """lupdate ``area``'s sources into ``ts`` (default: its catalogue); lupdate's report."""
    return run([tool("lupdate"), *map(str, sources(area)), "-ts", str(ts or catalogue(area)), *LUPDATE_OPTIONS])


def release(ts_files: list[Path] | None = None, qm: Path | None = None) -> str:
    """lrelease the catalogues (default: every area's) into one ``.qm`` (default: the shipped one)."""
    ts_files = ts_files or [catalogue(area) for area in AREAS]
    return run([tool("lrelease"), *map(str, ts_files), "-qm", str(qm or released())])


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """``{(context, source): <message> element}`` of a catalogue."""
    root = ET.parse(ts).getroot()
    return {(context.findtext("name"), message.findtext("source")): message
            for context in root.iter("context") for message in context.iter("message")}


def unfinished(ts: Path) -> list[tuple[str, str]]:
    """The messages of ``ts`` without a finished translation (unfinished, empty, or left over)."""
    return [key for key, message in messages(ts).items()
            if (t := message.find("translation")) is None or t.get("type") in ("unfinished", "vanished", "obsolete")
            or not (t.text or "").strip()]


def pseudo(qm: Path, ts_files: list[Path] | None = None) -> Path:
    """A catalogue whose every translation is its source between :data:`PSEUDO` marks, released into ``qm``."""
    made = []
    for ts in ts_files or [catalogue(area) for area in AREAS]:
        tree = ET.parse(ts)
        for message in tree.getroot().iter("message"):
            translation = message.find("translation")
            translation.attrib.clear()
            translation.text = PSEUDO[0] + (message.findtext("source") or "") + PSEUDO[1]
        out = qm.with_name(f"pseudo_{ts.name}")
        tree.write(out, encoding="utf-8", xml_declaration=True)
        made.append(out)
    release(made, qm)
    return qm


def main() -> int:
    for area in AREAS:
        print(f"{catalogue(area).name}: {update(area).strip().splitlines()[-1].strip()}")
    for ts in (catalogue(area) for area in AREAS):
        if missing := unfinished(ts):
            print(f"{ts.name}: {len(missing)} messages to translate", file=sys.stderr)
    print(release().strip().splitlines()[-1].strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
