"""Serve a built site on localhost and drive Debian's chromium with Playwright.

Used by the end-to-end test and by scripts/screenshots.py. Playwright never
downloads a browser here: it launches the system chromium by path, with the
flags that keep it from calling home.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SEARCH_RECORDER = """
(() => {
  // What Material's search box and its worker say to each other, in the page's clock (ms since it
  // opened): when the page handed the worker the index (SETUP), when the worker first said READY,
  // and each answer's first page and whether it carries the page's text (Material's own answer
  // does; kamdocs' titles' answer has none). Add it with add_init_script before the page opens.
  const Worker = window.Worker;
  const seen = (window.__search = { setup: null, ready: null, answers: [] });
  window.Worker = function (url, options) {
    const worker = new Worker(url, options);
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message, ...rest) => {
      if (message && message.type === 0) seen.setup = performance.now();
      post(message, ...rest);
    };
    worker.addEventListener("message", ({ data }) => {
      if (data.type === 1 && seen.ready === null) seen.ready = performance.now();
      if (data.type === 3) {
        const first = (data.data.items[0] || [])[0] || { location: null, text: "" };
        seen.answers.push({ at: performance.now(), location: first.location, text: first.text !== "" });
      }
    });
    return worker;
  };
})();
"""
"""A page script that records Material's search worker protocol (SETUP, READY, RESULT) into
``window.__search``, for the search worker's tests and ``benchmarks/search_size.py``."""


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("chromium is not installed: apt-get install chromium (the README's test command does this)")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without a line per request; a test may extend it (to hold a request back)."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """Says nothing when the browser drops a download it no longer needs (a page closed while its search
    worker fetched the index): a traceback per closed page buried the benchmarks' figures."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(folder: Path, handler_class: type[QuietHandler] = QuietHandler) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 on a free port with ``handler_class``; yields the base URL."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def served_in_chromium(folder: Path) -> Iterator[tuple[Any, str]]:
    """``folder`` served as :func:`serve` does and a headless chromium launched with ``CHROMIUM_FLAGS``;
    yields ``(browser, base URL)``, for a test module's shared browser fixture."""
    from playwright.sync_api import sync_playwright

    with serve(folder) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            yield browser, base
        finally:
            browser.close()
