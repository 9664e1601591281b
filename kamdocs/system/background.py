"""Work done in a forked process while the caller goes on, or inline where forking is not safe.

The site's downloads (plans.json, plans.csv, commitments.ics, plans.xlsx)
are a second of pure Python at a thousand plans that nothing else waits for
until MkDocs copies them. A forked child computes them while MkDocs turns
the pages' Markdown into HTML, on the other core.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def fork_is_safe() -> bool:
    """Forking copies only the calling thread: safe only while this process has one thread
    (``mkdocs serve`` runs builds beside its server thread) and where the fork start method exists."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _child(work: Callable[[], Any], connection: Any) -> None:
    try:
        connection.send((True, work()))
    except BaseException as exc:  # the parent recomputes inline and so reports the error itself
        connection.send((False, repr(exc)))
    finally:
        connection.close()


class Background(Generic[T]):
    """``work()`` started now; :meth:`result` gives its value, computing it inline if the child failed."""

    def __init__(self, work: Callable[[], T], enabled: bool = True) -> None:
        self._work = work
        self._process: Any = None
        self._connection: Any = None
        if enabled and fork_is_safe():
            context = multiprocessing.get_context("fork")
            self._connection, child_end = context.Pipe(duplex=False)
            self._process = context.Process(target=_child, args=(work, child_end), daemon=True)
            self._process.start()
            child_end.close()

    def result(self) -> T:
        if self._process is None:
            return self._work()
        try:
            ok, value = self._connection.recv()
        except (EOFError, OSError):
            ok, value = False, None
        finally:
            self._connection.close()
            self._process.join()
            self._process = None
        return value if ok else self._work()

    def cancel(self) -> None:
        """Stop the child (a build that failed before it needed the result)."""
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._connection.close()
            self._process = None
