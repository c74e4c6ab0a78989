"""The README and the user guide (docs/*.md): their examples run, and their links lead somewhere.

Every fenced ```sh block runs in bash with ``set -e``, where ``cnnviz`` is this checkout's ``python -m cnnviz``;
every ```python block runs in Python, consecutive blocks of a page in one fresh interpreter and namespace. A
block that must not run (it opens the window, downloads, installs, or trains on full MNIST) is preceded by the line
``<!-- docs-test: skip (why) -->``. Each page runs in a temporary directory of its own that links to the
checkout's ``resources/`` and ``docs/``, with its own home, cache, configuration and data directories, offscreen.
The convention is written for the reader in docs/README.md ("Examples that run").
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SKIP = re.compile(r"^<!-- docs-test: skip \((?P<why>[^)]+)\) -->$")
FENCE = re.compile(r"^```(?P<lang>[\w-]*)\s*$")
RUNNABLE = ("sh", "python")
BLOCK_TIMEOUT_S = 120

SH_PRELUDE = 'cnnviz() { "$DOCS_PYTHON" -m cnnviz "$@"; }\n'
PY_DRIVER = """\
import json, sys
namespace = {"__name__": "__main__"}
for page, line, code in json.load(open(sys.argv[1], encoding="utf-8")):
    exec(compile("\\n" * line + code, page, "exec"), namespace)  # tracebacks name the page and its line
"""


@dataclass(frozen=True)
class Block:
    """One fenced block of a page: its language, the line of its opening fence (1-based) and its code."""
    page: str
    line: int
    lang: str
    code: str
    skip: str | None  # why it must not run, or None


class ExampleFailed(AssertionError):
    pass


def blocks(text: str, page: str) -> list[Block]:
    """The fenced blocks of a Markdown text, in order, each with the reason of the skip marker just before it.
    A skip marker that is not followed (after blank lines) by a fence is an error."""
    lines = text.splitlines()
    found, i, pending = [], 0, None
    while i < len(lines):
        line = lines[i]
        marker = SKIP.match(line.strip())
        fence = FENCE.match(line)
        if marker:
            pending = (marker["why"], i + 1)
        elif fence:
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), None)
            if end is None:
                raise ValueError(f"{page}:{i + 1}: a fenced block is never closed")
            found.append(Block(page, i + 1, fence["lang"], "\n".join(lines[i + 1:end]) + "\n",
                               pending[0] if pending else None))
            pending, i = None, end
        elif line.strip() and pending:
            raise ValueError(f"{page}:{pending[1]}: the skip marker is not followed by a fenced block")
        elif line.lstrip().startswith("<!--") and "docs-test" in line:
            raise ValueError(f"{page}:{i + 1}: a docs-test marker must read <!-- docs-test: skip (why) -->")
        i += 1
    if pending:
        raise ValueError(f"{page}:{pending[1]}: the skip marker is not followed by a fenced block")
    return found


def runnable(page_blocks: list[Block]) -> list[Block]:
    return [b for b in page_blocks if b.lang in RUNNABLE and b.skip is None]


def page_name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def example_env(home: Path) -> dict[str, str]:
    """The environment examples run in: this checkout's cnnviz, offscreen, and a home of their own (no user's
    settings, data cache or sessions are read or written, nor the checkout's sessions/)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CNNVIZ_DATA", "PYTHONPATH")}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"),
               CNNVIZ_SESSIONS=str(home / "sessions"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
               DOCS_PYTHON=sys.executable)
    return env


def run_blocks(page_blocks: list[Block], workdir: Path) -> int:
    """Runs the runnable blocks of one page in ``workdir`` (links to resources/ and docs/ are made there):
    each ``sh`` block in bash, each run of consecutive ``python`` blocks in one interpreter, in the page's order.
    Raises :class:`ExampleFailed` naming the page and line of the first block that fails. Returns how many ran."""
    for name in ("resources", "docs"):
        if not (workdir / name).exists():
            (workdir / name).symlink_to(ROOT / name, target_is_directory=True)
    env = example_env(workdir / "home")
    todo = runnable(page_blocks)
    python: list[Block] = []

    def flush_python() -> None:
        if not python:
            return
        script = workdir / "home" / "blocks.json"
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_text(json.dumps([(b.page, b.line, b.code) for b in python]), encoding="utf-8")
        done = subprocess.run([sys.executable, "-c", PY_DRIVER, str(script)], cwd=workdir, env=env,
                              capture_output=True, text=True, timeout=BLOCK_TIMEOUT_S)
        if done.returncode:
            raise ExampleFailed(f"{python[0].page}: a ```python example failed (blocks from line "
                                f"{python[0].line}):\n{done.stderr[-3000:]}")
        python.clear()

    for block in todo:
        if block.lang == "python":
            python.append(block)
            continue
        flush_python()
        done = subprocess.run(["bash", "-e", "-c", SH_PRELUDE + block.code], cwd=workdir, env=env,
                              capture_output=True, text=True, timeout=BLOCK_TIMEOUT_S)
        if done.returncode:
            raise ExampleFailed(f"{block.page}:{block.line}: the ```sh example failed with status "
                                f"{done.returncode}:\n{block.code}\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
    flush_python()
    return len(todo)


PAGE_BLOCKS = {page_name(p): blocks(p.read_text(encoding="utf-8"), page_name(p)) for p in PAGES}


@pytest.mark.parametrize("page", [p for p, b in PAGE_BLOCKS.items() if runnable(b)])
def test_the_examples_of_a_page_run(page, tmp_path):
    run_blocks(PAGE_BLOCKS[page], tmp_path)


def test_examples_run_from_the_readme_and_the_guide():
    """The README and the guide show runnable shell and Python examples, and every skipped block says why."""
    every = [b for bs in PAGE_BLOCKS.values() for b in bs]
    readme = runnable(PAGE_BLOCKS["README.md"])
    assert {b.lang for b in readme} == {"sh", "python"}
    assert len(runnable(every)) >= 15
    assert all(b.skip.strip() for b in every if b.skip is not None)
    # the fences say what they hold: a language the test knows, or none (a text picture, a file listing)
    assert {b.lang for b in every} <= {"sh", "python", ""}


def test_a_failing_example_fails_the_test(tmp_path):
    """The runner can fail: a failing shell or Python block raises, naming its page and line; a skipped one
    does not run."""
    page = ("# A page\n\n<!-- docs-test: skip (it would fail) -->\n```sh\nexit 3\n```\n\n"
            "```sh\ncnnviz --version\n```\n\n```python\nx = 1\n```\n\n```python\nassert x == 2, 'x is 1'\n```\n")
    found = blocks(page, "page.md")
    assert [(b.lang, b.line, b.skip) for b in found] == [
        ("sh", 4, "it would fail"), ("sh", 8, None), ("python", 12, None), ("python", 16, None)]
    with pytest.raises(ExampleFailed, match=r"(?s)page.md.*line 17.*x is 1"):
        run_blocks(found, tmp_path)
    failing_shell = blocks("```sh\ncnnviz train --lr -1 --data sample\n```\n", "shell.md")
    with pytest.raises(ExampleFailed, match=r"(?s)shell.md:1: .* status 2.*learning rate must be positive"):
        run_blocks(failing_shell, tmp_path)
    assert run_blocks(found[:3], tmp_path) == 2


@pytest.mark.parametrize("text, problem", [
    ("<!-- docs-test: skip (why) -->\nSome text.\n```sh\nexit 1\n```\n", "not followed by a fenced block"),
    ("<!-- docs-test: skip -->\n```sh\nexit 1\n```\n", "must read"),
    ("```sh\ncnnviz\n", "never closed"),
])
def test_a_misplaced_marker_is_an_error(text, problem):
    with pytest.raises(ValueError, match=problem):
        blocks(text, "page.md")


LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^```.*?^```", "", text)  # a '#' in a code block is no heading
    return {anchor(m[1]) for m in re.finditer(r"(?m)^#+ (.+)$", text)}


@pytest.mark.parametrize("page", list(PAGE_BLOCKS))
def test_links_lead_somewhere(page):
    """Every relative link and image of a page (the screenshots included) names a file that exists, and every
    #anchor a heading of that file."""
    path = ROOT / page
    text = re.sub(r"(?ms)^```.*?^```", "", path.read_text(encoding="utf-8"))
    for m in LINK.finditer(text):
        target = m["target"]
        if re.match(r"[a-z]+:", target):
            continue
        file, _, fragment = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        assert dest.exists(), f"{page}: the link {target} leads nowhere"
        if fragment:
            assert fragment in anchors(dest), f"{page}: {target}: no heading of {dest.name} has that anchor"


def test_the_readme_is_a_front_door():
    """The README stays short and leads to the guide; its Qt libraries of the first line are those CI installs."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    assert "](docs/README.md)" in readme
    always = re.search(r"(?m)^apt-get install (.+?)\s+# always$", readme)
    ci = re.search(r"apt-get install -y -qq --no-install-recommends \\\n\s+(.+?) >/dev/null",
                   (ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert always and ci and always[1].split() == ci[1].split()
