"""A local HTTP server for the download tests (127.0.0.1 only: nothing is ever fetched from the internet)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging, recording each requested path in ``requested``."""

    requested: list[str]

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.requested.append(self.path)
        super().do_GET()


class SlowHandler(QuietHandler):
    """Serves files 8 KB at a time, 20 ms apart (a 240 KB file takes about 0.6 s); where ``go`` is an event, once it
    is set (at most 10 s later)."""

    go: threading.Event | None = None

    def copyfile(self, source, outputfile):
        if self.go is not None:
            self.go.wait(10)
        while chunk := source.read(8192):
            outputfile.write(chunk)
            time.sleep(0.02)


@contextlib.contextmanager
def serving(root: Path, handler: type[QuietHandler] = QuietHandler) -> Iterator[tuple[str, list[str]]]:
    """(base URL, requested paths) of a server of the folder ``root`` while the block runs. The caller sets
    NO_PROXY for 127.0.0.1 (monkeypatch) where a proxy is configured."""
    requested: list[str] = []
    cls = type("Handler", (handler,), {"requested": requested})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(cls, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requested
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def no_proxy(monkeypatch) -> None:
    """Requests to 127.0.0.1 bypass any proxy of the environment."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (a mirror that is down)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/"
