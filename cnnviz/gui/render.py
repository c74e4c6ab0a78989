"""``cnnviz render``: the window or one view of a saved session at one position, drawn offscreen into a PNG.

Teachers make figures for slides with it; the tests and the README's screenshots use it too. The session is
replayed exactly as the window would (a :class:`~cnnviz.gui.workspace.Workspace`), the colour levels are
completed first (so a figure is the same whatever was drawn before), and the PNG is written under a new name
only: an existing file is never replaced.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
from pathlib import Path

from cnnviz.options import LANGUAGES, UsageError, add_language_option

VIEWS = (  # the whole window, then the views (layouts.view_classes's keys), one a line
    "window",
    "loss",
    "filters",
    "feature_maps",
    "pooling",
    "predictions",
    "confusion",
    "playground",
    "unit",
    "draw",
    "deltas",
    "probes",
    "overview",
)
DEFAULT_SIZE = {"window": (1600, 1000)}
# --compare-mode: what the filters or predictions view shows of the runs compared (view key, the view's mode key)
COMPARE_MODES = {"b": ("filters", "b"), "a-b": ("filters", "diff"), "right-in-a": ("predictions", "a"),
                 "right-in-b": ("predictions", "b")}
VIEW_SIZE = (900, 620)


class RenderError(UsageError):
    """A position, view, image or layer that the session does not have: one sentence (status 2)."""


def add_render_command(subparsers) -> None:
    p = subparsers.add_parser("render", help="draw the window or one view of a session at one position into a PNG")
    p.add_argument("file", help="session file (.h5)")
    p.add_argument("--out", required=True, metavar="FILE.png", help="the PNG to write (never overwritten)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--step", type=int, metavar="N",
                       help="the step to show (-1: the last; between snapshots: the snapshot at or before it)")
    where.add_argument("--snapshot", type=int, metavar="I", help="the snapshot to show, from 0 (-1: the last)")
    p.add_argument("--view", choices=VIEWS, default="window", help="the whole window (default) or one view")
    p.add_argument("--image", type=int, metavar="TEST_INDEX", help="the test image to look inside (default: the "
                   "first probe image)")
    p.add_argument("--layer", metavar="NAME", help="the conv layer, e.g. conv2 (default conv1)")
    p.add_argument("--channel", type=int, metavar="K", help="the channel of the layer (default: none chosen)")
    p.add_argument("--pixel", metavar="ROW,COL", help="the unit at (ROW, COL) of the layer's u map, e.g. 7,8 (the "
                   "unit view shows how it was computed)")
    p.add_argument("--size", metavar="WxH", help="pixels (default 1600x1000 for the window, 900x620 for a view)")
    p.add_argument("--data", metavar="DIR", help="where to find the session's test images (default: as the "
                   "window looks for them)")
    p.add_argument("--draw", metavar="IMAGE", help="an image of a digit (PNG, JPEG, BMP) put on the Draw view's "
                   "canvas, prepared like MNIST's: the chosen image of every view")
    p.add_argument("--compare", action="append", metavar="MORE.h5", help="another session compared with FILE on "
                   "the same timeline (repeat for more): the loss view overlays every run's curves")
    p.add_argument("--compare-mode", choices=tuple(COMPARE_MODES), help="with --compare: the filters of run B (b) "
                   "or A − B (a-b), or the test images right in A and wrong in B (right-in-a) or the other way "
                   "(right-in-b)")
    add_language_option(p, default="en")
    p.add_argument("--count-from", type=int, choices=(1, 0), default=1, help="the figure writes every index from 1 "
                   "as the lecture notes count (default, as the window does) or from 0 as the code; --image, "
                   "--channel and --pixel count from 0 either way, as the Python API")
    p.set_defaults(func=cmd_render)


def _size(text: str | None, view: str) -> tuple[int, int]:
    if text is None:
        return DEFAULT_SIZE.get(view, VIEW_SIZE)
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not match:
        raise RenderError(f"--size must be WIDTHxHEIGHT such as 1600x1000, not {text!r}")
    w, h = int(match[1]), int(match[2])
    if not (200 <= w <= 8000 and 150 <= h <= 8000):
        raise RenderError(f"--size must be between 200x150 and 8000x8000 pixels, not {w}x{h}")
    return w, h


def cmd_render(args: argparse.Namespace) -> int:
    path = render(args.file, args.out, step=args.step, snapshot=args.snapshot, view=args.view, image=args.image,
                  layer=args.layer, size=args.size, data=args.data, channel=args.channel, pixel=args.pixel,
                  draw=args.draw, compare=args.compare, compare_mode=args.compare_mode, lang=args.lang,
                  count_from=args.count_from)
    print(f"wrote {path}")
    return 0


def render(session: str | Path, out: str | Path, *, step: int | None = None, snapshot: int | None = None,
           view: str = "window", image: int | None = None, layer: str | None = None, size: str | None = None,
           data: str | None = None, channel: int | None = None, pixel: str | None = None,
           draw: str | None = None, compare: list[str] | None = None, compare_mode: str | None = None,
           lang: str = "en", count_from: int = 1) -> Path:
    """Draw ``view`` of ``session`` at a step or snapshot into the new PNG ``out``, its text in language ``lang``
    and its indices counted from ``count_from`` (1, as the notes and the window; or 0; the arguments count from 0);
    the path written.

    SessionError for a session that cannot be read; RenderError for a position, view, image, layer or size it
    does not have, or an output that exists."""
    out = Path(out)
    if view not in VIEWS:
        raise RenderError(f"--view must be one of {', '.join(VIEWS)}, not {view!r}")
    if lang not in LANGUAGES:
        raise RenderError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    width, height = _size(size, view)
    if out.exists() or out.is_symlink():
        raise RenderError(f"{out} exists; render never overwrites a file: choose another --out")
    if not out.parent.is_dir():
        raise RenderError(f"{out.parent} is not a directory")
    if compare_mode is not None:
        if not compare:
            raise RenderError("--compare-mode needs a session to compare with (--compare MORE.h5)")
        if compare_mode not in COMPARE_MODES:
            raise RenderError(f"--compare-mode must be one of {', '.join(COMPARE_MODES)}, not {compare_mode!r}")
        key = COMPARE_MODES[compare_mode][0]
        if view not in ("window", key):
            raise RenderError(f"--compare-mode {compare_mode} is for the {key} view (--view {key} or window)")
    from cnnviz.session import SessionReader  # noqa: PLC0415

    SessionReader(session).close()  # a bad file: its one sentence, before Qt starts
    for other in compare or ():
        SessionReader(other).close()
    if data is not None and data != "sample":
        from cnnviz.data import find_mnist  # noqa: PLC0415

        find_mnist(data)  # a folder without the test images: its one sentence (it was accepted, and not looked in)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from cnnviz.system import interrupt_after  # noqa: PLC0415

    with interrupt_after():  # Ctrl-C while Qt loads: once it has loaded
        from PySide6.QtCore import qInstallMessageHandler  # noqa: PLC0415
        from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    qInstallMessageHandler(_quiet)

    app = QApplication.instance() or QApplication(["cnnviz"])
    from cnnviz.gui import i18n  # noqa: PLC0415
    from cnnviz.gui.app import MainWindow  # noqa: PLC0415
    from cnnviz.gui.layouts import create_view, view_class  # noqa: PLC0415
    from cnnviz.gui.views.common import configure_pyqtgraph  # noqa: PLC0415
    from cnnviz.gui.workspace import Workspace, build_parser  # noqa: PLC0415

    configure_pyqtgraph()
    args = build_parser().parse_args(["--no-session", *(["--data", data] if data else [])])
    if lang != "en" and not i18n.japanese_font():
        raise RenderError(f"--lang {lang} needs a font with Japanese glyphs: install fonts-noto-cjk (Debian, Ubuntu) "
                          "or Noto Sans CJK JP")
    widget = workspace = None
    i18n.install(lang)  # before the first widget
    try:
        if view == "window":
            widget = MainWindow(args, remember=False)
            widget.resize(width, height)  # the workspaces are planned for this size
            widget.show()  # as the window is before a session opens: docks arranged while hidden left a dock tab
            # bar of an earlier plan drawn over the menu bar (seen rendering a comparison)
            workspace = widget.workspace
        else:
            workspace = Workspace(args, preview=False)
        if not workspace.open(session):
            raise RenderError(str(workspace.last_said))  # the command line's English, whatever --lang draws in
        model = workspace.model
        model.count_from(count_from)  # the indices the figure writes (the arguments are 0-based)
        if view != "window":
            widget = create_view(view_class(view), model, workspace.comparison)
        if compare:
            _compare(workspace, compare, compare_mode, widget.views if view == "window" else {view: widget})
        _position(model, step, snapshot)
        _select(model, image, layer)
        _select_unit(model, channel, pixel)
        if draw is not None:
            from cnnviz.gui.views.draw import ImageFileError, draw_image_file

            try:
                draw_image_file(widget, model, draw)
            except ImageFileError as exc:
                raise RenderError(str(exc).rstrip(".")) from None
        model.complete_levels()
        model.redraws.flush()
        widget.resize(width, height)
        widget.show()
        for _ in range(3):  # layouts settle, views draw (the loss view draws when shown)
            app.processEvents()
        drawn = widget.width(), widget.height()  # larger than asked where the widget cannot be that small
        pixmap = widget.grab()
        # A snapshot or evaluation that could not be read was stood in for by another: not a picture of the step.
        damage = model.damage + [text for run in workspace.comparison.runs for text in run.model.damage]
        if damage:
            raise RenderError(damage[0].rstrip("."))
    finally:
        _tear_down(app, widget, workspace)
        i18n.uninstall()
    if drawn != (width, height):
        raise RenderError(f"--size {width}x{height} is too small for the {view.replace('_', ' ')}: it needs at least "
                          f"{max(width, drawn[0])}x{max(height, drawn[1])} pixels")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice  # noqa: PLC0415

    png = QByteArray()
    buffer = QBuffer(png)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not pixmap.save(buffer, "PNG"):  # in memory: a file that cannot be written is the system's one error
        raise RenderError(f"{out}: the picture cannot be made into a PNG")
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.part")
    try:
        try:
            with open(tmp, "xb") as f:
                f.write(png.data())
        except OSError as exc:
            raise RenderError(f"{out} cannot be written ({exc.strerror or exc})") from None
        try:
            os.link(tmp, out)  # never over a file, even one that appeared meanwhile
        except FileExistsError:
            raise RenderError(f"{out} exists; render never overwrites a file: choose another --out") from None
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _quiet(kind, context, message: str) -> None:
    """Qt's messages, less the offscreen platform's note that windows have no size hints to pass on."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def _compare(workspace, others: list[str], mode: str | None, views: dict) -> None:
    """The other sessions joined to the workspace's comparison, and the compare mode of the view it is for (checked
    before Qt started)."""
    for other in others:
        if not workspace.compare(other):
            raise RenderError(str(workspace.last_said).rstrip("."))
    if mode is not None:
        key, value = COMPARE_MODES[mode]
        views[key].chooser.set_mode(value)
    for run in workspace.comparison.runs:
        run.model.complete_levels()


def _tear_down(app, widget, workspace) -> None:
    """What render made (any of it may be None), closed and deleted now, while the application exists, whether the
    figure was drawn or a mistake stopped it: the sessions' files closed, the model's timers and levels thread
    stopped, the widget and the model deleted. A view left to the interpreter's exit crashed it (status 139) after
    the one line: PySide's cleanup deleted the view's plot items first, and a closure connected to one of them held
    the last reference to the view, whose deletion then deleted that same item again from its scene."""
    import shiboken6  # noqa: PLC0415
    from PySide6.QtCore import QEvent  # noqa: PLC0415

    if workspace is not None:
        workspace.comparison.clear()
    if widget is not None:
        widget.close()  # the window also closes its workspace here
    if workspace is not None:
        workspace.close()  # its model's timers and levels thread too
    for obj in (widget, workspace):  # the window's workspace is deleted with the window
        if obj is not None and shiboken6.isValid(obj):
            shiboken6.delete(obj)
    app.processEvents()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # what the views gave to deleteLater: no loop runs here


def _position(model, step: int | None, snapshot: int | None) -> None:
    steps = model.snapshots.steps
    if snapshot is not None:
        if not -len(steps) <= snapshot < len(steps):
            raise RenderError(f"--snapshot {snapshot} does not exist: the session has {len(steps)} snapshots "
                              f"(0 to {len(steps) - 1})")
        model.seek(steps[snapshot])
    elif step is not None and step != -1:
        if not 0 <= step <= model.last_step:
            raise RenderError(f"--step {step} is outside the run: its steps go from 0 to {model.last_step} "
                              "(-1: the last)")
        model.seek(step)
    else:
        model.seek(model.last_step)


def _select(model, image: int | None, layer: str | None) -> None:
    if image is not None:
        if not model.has_image(image):
            n = len(model.test_images) if model.test_images is not None else 0
            available = (f"test images 0 to {n - 1}" if n else
                         "only its probe images " + ", ".join(map(str, model.image_indices.tolist())))
            raise RenderError(f"--image {image} is not at hand: the session offers {available}")
        model.select(image=image)
    if layer is not None:
        n = len(model.start.config.network.conv)
        match = re.fullmatch(r"conv(\d+)", layer.strip())
        if not match or not 1 <= int(match[1]) <= n:
            raise RenderError(f"--layer must be one of {', '.join(f'conv{l}' for l in range(1, n + 1))}, "
                              f"not {layer!r}")
        model.select(layer=int(match[1]) - 1)


def _select_unit(model, channel: int | None, pixel: str | None) -> None:
    """--channel K and --pixel ROW,COL of the selected layer's u map."""
    l = model.selection.layer
    net = model.start.config.network
    if channel is not None:
        K = net.conv[l].filters
        if not 0 <= channel < K:
            raise RenderError(f"--channel {channel} does not exist: conv{l + 1} has {K} channels (0 to {K - 1})")
        model.select(channel=channel)
    if pixel is not None:
        match = re.fullmatch(r"\s*(\d+)\s*,\s*(\d+)\s*", pixel)
        if not match:
            raise RenderError(f"--pixel must be ROW,COL such as 7,8, not {pixel!r}")
        _, H, W = dict(net.shapes())[f"conv{l + 1}.u"]
        row, col = int(match[1]), int(match[2])
        if row >= H or col >= W:
            raise RenderError(f"--pixel {row},{col} is outside conv{l + 1}'s {H}x{W} u map (rows 0 to {H - 1}, "
                              f"columns 0 to {W - 1})")
        model.select(channel=model.selection.channel or 0, pixel=(row, col))
