"""Work in a forked child: the same value as inline, recomputed inline when the child fails, and
never forked where a second thread runs (forking copies only the calling thread)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator

import pytest

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
            yield i, (os.getpid() != parent, bytes([i % 256]) * 20_000)

    got = BackgroundParts(parts).result()
    assert [i for i, _ in got] == list(range(300))
    assert {forked for _, (forked, _) in got} == {fork_is_safe()}
    assert all(data == bytes([i % 256]) * 20_000 for i, (_, data) in got)


def failing_in_the_child_at(fail_at: int, count: int = 5) -> Callable[[], Iterator[tuple[int, int]]]:
    """Parts ``(i, pid)``; a forked child raises at part ``fail_at``, the parent makes them all."""
    parent = os.getpid()

    def parts() -> Iterator[tuple[int, int]]:
        for i in range(count):
            if i == fail_at and os.getpid() != parent:
                raise RuntimeError("boom in the child")
            yield i, os.getpid()

    return parts


def test_a_child_failing_after_some_parts_is_recomputed_inline_whole() -> None:
    got = BackgroundParts(failing_in_the_child_at(3)).result()
    assert got == [(i, os.getpid()) for i in range(5)]  # no part of the child's kept, none twice


def test_a_part_is_taken_by_its_key_as_soon_as_it_came_in_any_order() -> None:
    parent = os.getpid()

    def parts():
        for i in range(50):
            yield f"part {i}", (os.getpid() != parent, str(i) * 10_000)

    job = BackgroundParts(parts)
    try:
        if not job.forked:
            pytest.skip("this platform does not fork")
        for i in (49, 3, 0, 17):  # the last one first: the others wait here meanwhile
            assert job.take(f"part {i}") == (True, str(i) * 10_000)
        assert job.take("part 3") is None  # taken once, then forgotten
        assert job.take("never made") is None  # the child ended without it: the caller makes it
        assert [key for key, _ in job.result()] == [f"part {i}" for i in range(50) if i not in (49, 3, 0, 17)]
    finally:
        job.cancel()


def test_after_a_child_failed_its_parts_are_taken_and_the_rest_made_by_the_caller() -> None:
    job = BackgroundParts(failing_in_the_child_at(3))
    try:
        if not job.forked:
            pytest.skip("this platform does not fork")
        assert [job.take(i) for i in range(5)] == [job._process.pid] * 3 + [None, None]
    finally:
        job.cancel()


def test_without_a_child_every_take_says_make_it_yourself() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()  # a second thread: forking is not safe, so nothing is forked
    try:
        job = BackgroundParts(lambda: iter([("a", 1)]))
        assert not job.forked
        assert job.take("a") is None
    finally:
        stop.set()
        thread.join()


def test_parts_inline_beside_another_thread() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        parent = os.getpid()
        assert BackgroundParts(lambda: iter([("pid", os.getpid())])).result() == [("pid", parent)]
    finally:
        stop.set()
        thread.join()


def test_cancel_stops_the_parts_child_and_its_receiver() -> None:
    def parts():
        yield 1, "one"
        threading.Event().wait(60)
        yield 2, "two"

    job = BackgroundParts(parts)
    process, receiver = job._process, job._thread
    job.cancel()
    assert process is None or not process.is_alive()
    assert receiver is None or not receiver.is_alive()
    assert threading.active_count() == 1


def test_ahead_bounds_the_parts_held_and_a_wait_for_a_later_part_is_never_stuck() -> None:
    """With ``ahead`` the receiving thread holds at most that many parts nobody waits for (the child
    then waits on the pipe); a caller asking for a part far behind them still gets it."""

    def parts():
        for i in range(400):
            yield i, str(i) * 5_000  # more than a pipe holds past the bound

    job = BackgroundParts(parts, ahead=8)
    try:
        if not job.forked:
            pytest.skip("this platform does not fork")
        assert job.take(0) == "0" * 5_000
        time.sleep(0.3)  # time for the thread to read past the bound, if it did
        assert 1 <= len(job._received) <= 8
        assert job.take(399) == "399" * 5_000  # the thread reads on while someone waits
        assert job.take(5) == "5" * 5_000
        assert [key for key, _ in job.result()] == [i for i in range(1, 399) if i != 5]
    finally:
        job.cancel()


def test_cancel_stops_a_child_held_back_by_ahead() -> None:
    job = BackgroundParts(lambda: ((i, "x" * 100_000) for i in range(100)), ahead=2)
    process, receiver = job._process, job._thread
    time.sleep(0.2)
    job.cancel()
    assert process is None or not process.is_alive()
    assert receiver is None or not receiver.is_alive()
