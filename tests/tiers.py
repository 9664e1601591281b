"""The two tiers of the suite: the fast loop (``pytest -m "not e2e"``) and the end-to-end tests.

A test is ``e2e`` when it drives Chromium or LibreOffice, installs a package
(the wheel, Zensical) into a fresh virtual environment, builds the packages,
or starts ``kamdocs serve`` and waits for its pages: each costs seconds to minutes, and a change to the core should not
wait for them. The collection check below keeps a new test of that kind out
of the fast loop even when its author forgets the mark, by reading the
source of the test and of every fixture it uses for what only such tests do.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable

import pytest

E2E_WORK = re.compile(
    r"chromium_path\(|served_in_chromium\(|\bchromium: Browser|soffice|fresh_venv\(|venv\.create\(|build_archives\(|\bbuilt: Built|"
    r"\"kamdocs\", \"serve\"|\bserving\("
)
"""What only an end-to-end test does: launch Chromium, run LibreOffice, make a virtual environment, build the
packages (or take the session's built packages as a fixture), start ``kamdocs serve`` and wait on it."""


@functools.cache
def _does_e2e_work(function: Callable[..., object]) -> bool:
    """Whether ``function``'s source does end-to-end work; pytest's own fixtures and its plugins' never do.
    Cached: a fixture serves hundreds of tests, and a parametrized test is one function for all its cases."""
    try:
        where = inspect.getsourcefile(function)
        if where is None or "site-packages" in where:
            return False
        return E2E_WORK.search(inspect.getsource(function)) is not None
    except (OSError, TypeError):
        return False


def _functions(item: pytest.Item) -> list[Callable[..., object]]:
    """The test function and the fixture each name in its closure resolves to (the last definition: a
    module's own ``built`` overrides the session's)."""
    functions = [getattr(item, "function", None)]
    info = getattr(item, "_fixtureinfo", None)
    for definitions in info.name2fixturedefs.values() if info else ():
        functions.append(definitions[-1].func)
    return [function for function in functions if function is not None]


def unmarked_e2e(items: list[pytest.Item]) -> list[str]:
    """The node ids of tests that do end-to-end work without the ``e2e`` mark."""
    return [
        item.nodeid
        for item in items
        if item.get_closest_marker("e2e") is None and any(_does_e2e_work(f) for f in _functions(item))
    ]
