"""The HTTP server of ``kamdocs editor --serve``: the plan form on 127.0.0.1 and nothing else.

Apart from :mod:`kamdocs.cli.editor` so that ``kamdocs --help`` does not import ``http.server``.
"""

from __future__ import annotations

import http.server
from pathlib import Path
from typing import Any

from kamdocs.system.package_data import editor_bundle


class FormServer(http.server.ThreadingHTTPServer):
    """Serves the form's page and configuration (made for this run) and Decap's script from the
    installed kamdocs, at /admin/."""

    def __init__(self, address: tuple[str, int], files: dict[str, str]) -> None:
        super().__init__(address, FormHandler)
        self.pages = {f"/admin/{name}": text.encode("utf-8") for name, text in files.items()}
        self.pages["/admin/"] = self.pages["/admin/index.html"]
        self.bundle: dict[str, Path] = {f"/admin/{name}": path for name, path in editor_bundle().items()}


class FormHandler(http.server.BaseHTTPRequestHandler):
    server: FormServer

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path in ("/", "/admin"):
            self.send_response(302)
            self.send_header("Location", "/admin/")
            self.end_headers()
        elif path in self.server.pages:
            kind = "text/yaml" if path.endswith(".yml") else "text/html; charset=utf-8"
            self._send(self.server.pages[path], kind)
        elif path in self.server.bundle:
            kind = "text/javascript" if path.endswith(".js") else "text/plain; charset=utf-8"
            self._send(self.server.bundle[path].read_bytes(), kind)
        else:
            self.send_error(404)

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a line per chunk the page loads would bury the one line that says where the form is."""


def form_server(host: str, port: int, files: dict[str, str]) -> FormServer:
    """The form's server on ``host``:``port``, bound (not yet serving)."""
    return FormServer((host, port), files)
