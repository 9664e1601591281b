"""Python's cyclic garbage collector kept off a build's long-lived objects.

A build makes objects that live until it ends: the plan model, the rows, the generated pages,
MkDocs' pages. While they pile up, the collector's full collections (one each time the objects
that outlived two collections grew by a quarter) walk all of them and find almost nothing to
free: at 10,000 plans six of them took 4.9 s of the main process, 3.4 s of it while the plugin's
``on_files`` made the model and the pages, and they freed nothing there. So the plugin puts off
full collections while it makes them (:func:`full_collections_put_off`), then moves them out of
the collector's reach (:func:`hold`, Python's ``gc.freeze``). They stay there after the build: the
process usually exits next, and Python's last collection at exit then skips them (1.5 s at 10,000
plans); the next build in the same process (``serve``, or a caller building again) releases them
first (:func:`release`), and so does a build that fails. Young objects are collected as ever.

The check and the forked processes have their own needs, here too so that one module says what
the collector does in a build: :func:`off` while the check reads plans, :func:`restart_in_child`
in its workers, :func:`frozen_for_fork` around a fork.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

PUT_OFF = 1_000_000
"""Collections of the middle generation before a full one: none during a build's model."""


@contextmanager
def full_collections_put_off() -> Iterator[None]:
    """No full collection in the block; the young generations are collected as before."""
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, PUT_OFF)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, full)


def hold() -> None:
    """Every object alive now out of the collector's reach until :func:`release`."""
    gc.freeze()


def release() -> None:
    """The objects :func:`hold` kept back, collectable again."""
    gc.unfreeze()


@contextmanager
def off() -> Iterator[None]:
    """No collection at all in the block; the collector is switched back on after it if it was on.

    While a batch of plans is checked: the plan model is acyclic and kept until the end, so
    collections during the run only rescan a growing heap (a quarter of the time at 10,000 plans).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def restart_in_child() -> None:
    """A process forked inside :func:`off` collects its own garbage again, and not what it inherited.

    A check worker keeps no plan it checks: with the collector off, what each plan's check left in
    reference cycles stayed, and each of a 10,000-plan check's two workers grew to 500 MB. The
    inherited objects are frozen first, so that a collection does not walk them (and copy their
    memory pages) for nothing.
    """
    gc.freeze()
    gc.enable()


@contextmanager
def frozen_for_fork() -> Iterator[None]:
    """The objects alive now out of the collector's reach while a child is forked in the block.

    A collection in the child would otherwise write to every object it scans, and so copy most of
    the parent's heap page by page (Python's ``gc.freeze`` documentation). Unfrozen after the block.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
