"""The one supervisor that runs a site engine and stops it, with every process it started, whatever
stops kamdocs: ``build`` and ``serve``, on the plugin path and on the render path."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamdocs.site.engines import Engine, EngineError

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))
"""What stops kamdocs, and with it its engine: ``kill PID``, Ctrl-C, and the terminal closing (SIGHUP,
which Windows does not have)."""


STOP_GRACE = 5.0
"""Seconds an engine has to end after SIGINT (a Ctrl-C, after which MkDocs removes its temporary
site), and again after SIGTERM, before what is left of it is killed."""


class _Stop(BaseException):
    """Raised in the main thread by a stop signal, to leave whatever kamdocs was doing with its engine."""


@dataclass
class RunningEngine:
    """An engine kamdocs started (:func:`supervised`): the process, and the signal that stopped it, if one did."""

    engine: Engine
    verb: str
    process: subprocess.Popen[bytes]
    stopped_by: int | None = None
    """The signal kamdocs got (SIGTERM, SIGINT, SIGHUP) and stopped the engine for; None if it ended by itself."""

    def running(self) -> bool:
        return self.process.poll() is None

    def wait(self) -> int:
        return self.process.wait()

    def failure(self) -> str | None:
        """Why the engine ended by itself with an error (a busy port, a bad address), or None."""
        code = self.process.poll()
        if self.stopped_by is not None or not code:
            return None
        return f"{self.engine.name} {self.verb} stopped (exit {code}); its messages are above"


@contextmanager
def supervised(engine: Engine, verb: str, args: list[str], cwd: Path) -> Iterator[RunningEngine]:
    """Run the engine for the length of the block, and stop it, with every process it started, when
    the block ends, whatever ends it.

    Both ``build`` and ``serve``, on the plugin path and on the render path, run their engine here:
    one piece of code decides how an engine stops. The engine runs in a session of its own, so a
    Ctrl-C, ``kill PID`` or a closing terminal (SIGHUP) reaches kamdocs alone, which then leaves the
    block (the signal is in :attr:`RunningEngine.stopped_by`, and the block's exception is
    swallowed) and ends the engine's whole process group (:func:`_end_group`). Left in kamdocs'
    own group, ``mkdocs serve`` outlived a ``kill`` of kamdocs and kept answering on its port. The
    engine's own output goes straight to the user's terminal; its standard input is closed, as it
    asks nothing.
    """
    started: list[RunningEngine] = []
    pending: list[int] = []
    stopping: list[bool] = []

    def on_signal(signum: int, frame: Any) -> None:
        if not started:
            pending.append(signum)  # the engine is starting: it is stopped as soon as it has
        elif started[0].stopped_by is None:
            started[0].stopped_by = signum
            if not stopping:  # a second Ctrl-C while the engine stops does not cut the stopping short
                raise _Stop

    main_thread = threading.current_thread() is threading.main_thread()
    # A signal ignored on purpose (nohup ignores SIGHUP) stays ignored.
    watched = [s for s in STOP_SIGNALS if main_thread and signal.getsignal(s) is not signal.SIG_IGN]
    previous = {s: signal.signal(s, on_signal) for s in watched}
    # The engine is stopped with SIGINT (_end_group), after which it cleans up as after Ctrl-C. Started
    # with SIGINT ignored, as a shell without job control starts `kamdocs serve &`, it would inherit
    # the ignoring: the stop would wait out the grace and kill it, leaving its temporary site behind.
    # A handled signal is reset to the default when the engine's program starts, so SIGINT is handled
    # (by nothing) while it starts, and ignored again afterwards.
    background = main_thread and signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    try:
        if background:
            signal.signal(signal.SIGINT, _not_now)
        try:
            process = subprocess.Popen(
                [*engine.command, verb, *args], cwd=cwd, stdin=subprocess.DEVNULL, start_new_session=True
            )
        except OSError as exc:
            raise EngineError(f"{engine.name}: cannot start {' '.join(engine.command)}: {exc.strerror}") from None
        finally:
            if background:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
        started.append(RunningEngine(engine, verb, process, pending[0] if pending else None))
        try:
            if started[0].stopped_by is not None:
                _end_group(process)
            yield started[0]
        except _Stop:
            pass
        finally:
            stopping.append(True)
            _end_group(process)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _not_now(signum: int, frame: Any) -> None:
    """SIGINT while an engine starts in the background, where kamdocs ignores it: still ignored."""


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """End the engine and every process in its group: SIGINT, as Ctrl-C in a terminal, then SIGTERM
    and SIGKILL for what is left."""
    if not hasattr(os, "killpg"):  # Windows: no process group to signal, the engine alone
        process.terminate()
        try:
            process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return
    for sig, grace in ((signal.SIGINT, STOP_GRACE), (signal.SIGTERM, STOP_GRACE), (signal.SIGKILL, STOP_GRACE)):
        deadline = time.monotonic() + grace
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        while time.monotonic() < deadline:
            if process.poll() is not None and not _group_alive(process.pid):
                return
            time.sleep(0.05)
    process.wait()


def _group_alive(group: int) -> bool:
    """Whether any process is left in the process group (signal 0 checks without sending)."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a member kamdocs may not signal is a member all the same
        pass
    return True


def run_engine(engine: Engine, verb: str, args: list[str], cwd: Path) -> int:
    """Run the engine to its end (:func:`supervised`) and give its exit code; a stop signal stops it."""
    with supervised(engine, verb, args, cwd) as run:
        run.wait()
    if run.stopped_by is not None:
        raise EngineError(f"{engine.name} {verb} stopped: kamdocs was sent {signal.Signals(run.stopped_by).name}")
    return run.process.returncode
