"""Work done in a forked process while the caller goes on, or inline where forking is not safe.

The site's downloads (plans.json, plans.csv, commitments.ics, plans.xlsx)
are a second of pure Python at a thousand plans that nothing else waits for
until MkDocs copies them. A forked child computes them while MkDocs turns
the pages' Markdown into HTML, on the other core.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from kamdocs.system import collector

T = TypeVar("T")
K = TypeVar("K")
P = TypeVar("P")


def cores() -> int:
    """The cores this process may run on (``taskset``, a container's CPU set), not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # no affinity on this platform
        return os.cpu_count() or 1


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


def _fork(target: Callable[..., None], *args: Any) -> tuple[Any, Any]:
    """A forked daemon process running ``target(*args, child_end)``, and the parent's end of its pipe;
    the parent's objects out of the child's collector's reach (:func:`collector.frozen_for_fork`)."""
    context = multiprocessing.get_context("fork")
    parent_end, child_end = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(*args, child_end), daemon=True)
    with collector.frozen_for_fork():
        process.start()
    child_end.close()
    return process, parent_end


class Background(Generic[T]):
    """``work()`` started now; :meth:`result` gives its value, computing it inline if the child failed."""

    def __init__(self, work: Callable[[], T], enabled: bool = True) -> None:
        self._work = work
        self._process: Any = None
        self._connection: Any = None
        if enabled and fork_is_safe():
            self._process, self._connection = _fork(_child, work)

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


_PART, _DONE, _FAILED = "part", "done", "failed"


def _streaming_child(parts: Callable[[], Iterable[Any]], connection: Any) -> None:
    try:
        for part in parts():
            connection.send((_PART, part))
        connection.send((_DONE, None))
    except BaseException as exc:  # the parent recomputes inline and so reports the error itself
        connection.send((_FAILED, repr(exc)))
    finally:
        connection.close()


class BackgroundParts(Generic[K, P]):
    """``parts()``, pairs of a key and a value, started now in a forked child, which sends each part as
    soon as it is made; a thread here receives them. :meth:`take` gives one part by its key as soon as
    it is here, and ``None`` when it will not come (no child, or the child failed or never made it), so
    the caller makes that one itself; :meth:`result` gives every part in order.

    Where :class:`Background` sends one value at the end, so that the child holds all of it, and then
    its pickle, while the parent reads the whole pickle before it unpickles it (at 10,000 plans the
    plan pages' tables were 1.2 GB more for the two processes while they passed), a part is pickled,
    sent and dropped on its own; and the caller waits for the part it needs, not for the last one.

    ``ahead`` bounds the parts held here that nobody waits for: with that many, the thread stops reading,
    so the child waits on a full pipe, until the caller takes one or waits for one still to come. At
    10,000 plans the child made the pages' slots faster than MkDocs wrote the pages, and the parent
    held most of them at once.
    """

    def __init__(
        self, parts: Callable[[], Iterable[tuple[K, P]]], enabled: bool = True, ahead: int | None = None
    ) -> None:
        self._parts = parts
        self._process: Any = None
        self._received: dict[K, P] = {}
        lock = threading.Lock()
        self._arrived = threading.Condition(lock)
        """Callers of :meth:`take` wait on it for their part; the thread wakes them only when one waits."""
        self._room = threading.Condition(lock)
        """The thread waits on it while ``ahead`` parts are held, until half of them are taken."""
        self._ahead = ahead
        self._wanted: set[K] = set()
        """The keys callers of :meth:`take` wait for."""
        self._held_back = False
        self._stopping = False
        self._ended = False
        self._ok = False
        self._thread: threading.Thread | None = None
        if enabled and fork_is_safe():
            self._process, connection = _fork(_streaming_child, parts)
            self._thread = threading.Thread(target=self._receive, args=(connection,), daemon=True)
            self._thread.start()

    @property
    def forked(self) -> bool:
        """Whether a child makes the parts (else :meth:`take` gives ``None`` for every key)."""
        return self._process is not None

    def _receive(self, connection: Any) -> None:
        ok = False
        try:
            while True:
                kind, value = connection.recv()
                if kind != _PART:
                    ok = kind == _DONE
                    return
                key, part = value
                with self._arrived:
                    self._received[key] = part
                    if key in self._wanted:
                        self._arrived.notify_all()
                    if not self._may_read_on(self._ahead):
                        self._held_back = True  # until half are taken: a wake-up per part cost the caller
                        self._room.wait_for(
                            lambda: self._may_read_on(None if self._ahead is None else self._ahead // 2)
                        )
                        self._held_back = False
                    if self._stopping:
                        return
        except Exception:  # a broken pipe, or a part that does not unpickle: made inline
            ok = False
        finally:
            connection.close()
            with self._arrived:
                self._ok, self._ended = ok, True
                self._arrived.notify_all()

    def _may_read_on(self, held: int | None) -> bool:
        """Whether the thread reads the next part: fewer than ``held`` parts here (``None``: no bound),
        a caller waiting for one not here, or a stop."""
        still_to_come = any(key not in self._received for key in self._wanted)
        return held is None or len(self._received) < held or still_to_come or self._stopping

    def take(self, key: K) -> P | None:
        """The part ``key``, once the child sent it (then forgotten here); ``None`` if it will not come."""
        if self._process is None:
            return None
        with self._arrived:
            if key not in self._received and not self._ended:
                self._wanted.add(key)
                self._room.notify()  # a thread held back by ``ahead`` reads on until it is here
                try:
                    self._arrived.wait_for(lambda: key in self._received or self._ended)
                finally:
                    self._wanted.discard(key)
            part = self._received.pop(key, None)
            if self._held_back and self._ahead is not None and len(self._received) < self._ahead // 2:
                self._room.notify()
            return part

    def result(self) -> list[tuple[K, P]]:
        """Every part not taken yet, in the order made; all of them made inline if the child failed."""
        if self._process is None:
            return list(self._parts())
        with self._arrived:
            self._ahead = None  # every part, now
            self._room.notify()
        self._finish()
        received, self._received = self._received, {}
        return list(received.items()) if self._ok else list(self._parts())

    def _finish(self) -> None:
        assert self._thread is not None
        self._thread.join()
        if not self._ok:  # a child the receiver stopped listening to may be blocked on a full pipe
            self._process.terminate()
        self._process.join()
        self._process = self._thread = None

    def cancel(self) -> None:
        """Stop the child (a build that failed, or one that no longer needs the parts)."""
        if self._process is not None:
            self._process.terminate()
            with self._arrived:
                self._stopping = True
                self._room.notify()
            self._finish()
            self._received = {}
