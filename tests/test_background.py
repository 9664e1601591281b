"""Work in a forked child: the same value as inline, recomputed inline when the child fails, and
never forked where a second thread runs (forking copies only the calling thread)."""

from __future__ import annotations

import os
import threading

from kamdocs.system.background import Background, fork_is_safe


def test_the_child_computes_the_same_value() -> None:
    parent = os.getpid()
    job = Background(lambda: (os.getpid() != parent, b"x" * 3_000_000))
    forked, data = job.result()
    assert forked == fork_is_safe()  # computed in another process where forking is safe
    assert data == b"x" * 3_000_000


def test_a_failing_child_is_recomputed_inline() -> None:
    parent = os.getpid()
    calls = []

    def work() -> str:
        calls.append(os.getpid())
        if os.getpid() != parent:
            raise RuntimeError("boom in the child")
        return "inline"

    assert Background(work).result() == "inline"
    assert calls[-1] == parent


def test_no_fork_beside_another_thread() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not fork_is_safe()
        parent = os.getpid()
        assert Background(lambda: os.getpid()).result() == parent
    finally:
        stop.set()
        thread.join()


def test_cancel_stops_the_child() -> None:
    job = Background(lambda: threading.Event().wait(60))
    process = job._process
    job.cancel()
    assert process is None or not process.is_alive()
