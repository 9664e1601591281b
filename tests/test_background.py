"""Work in a forked child: the same value as inline, recomputed inline when the child fails, and
never forked where a second thread runs (forking copies only the calling thread)."""

from __future__ import annotations

import os
import threading

from kamdocs.system.background import Background, BackgroundParts, fork_is_safe


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


def test_parts_come_from_the_child_one_by_one_in_order() -> None:
    parent = os.getpid()

    def parts():
        for i in range(300):  # more than a pipe holds: the receiving thread reads while the child sends
            yield i, os.getpid() != parent, bytes([i % 256]) * 20_000

    got = BackgroundParts(parts).result()
    assert [i for i, _, _ in got] == list(range(300))
    assert {forked for _, forked, _ in got} == {fork_is_safe()}
    assert all(data == bytes([i % 256]) * 20_000 for i, _, data in got)


def test_a_child_failing_after_some_parts_is_recomputed_inline_whole() -> None:
    parent = os.getpid()

    def parts():
        for i in range(5):
            if i == 3 and os.getpid() != parent:
                raise RuntimeError("boom in the child")
            yield i, os.getpid()

    got = BackgroundParts(parts).result()
    assert got == [(i, parent) for i in range(5)]  # no part of the child's kept, none twice


def test_parts_inline_beside_another_thread() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        parent = os.getpid()
        assert BackgroundParts(lambda: iter([os.getpid()])).result() == [parent]
    finally:
        stop.set()
        thread.join()


def test_cancel_stops_the_parts_child_and_its_receiver() -> None:
    def parts():
        yield 1
        threading.Event().wait(60)
        yield 2

    job = BackgroundParts(parts)
    process, receiver = job._process, job._thread
    job.cancel()
    assert process is None or not process.is_alive()
    assert receiver is None or not receiver.is_alive()
    assert threading.active_count() == 1
