"""The file line of each front-matter place a plan's quality reasons point at, kept small.

Every plan in the model carries one of these for as long as a build runs. As a dict of freshly made
path strings it cost some 12 KB a plan (65 paths of about 30 characters, their line numbers and the
dict's table): 120 MB at 10,000 plans, a fifth of the build's memory, and pages that a forked process
copies as soon as it reads them. The paths are the same strings in every plan (``$.goal.target``,
``$.commitments[0].owner``), so here they are interned and shared, kept sorted in one tuple, and the
lines sit in one array of C ints: under 1 KB a plan.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping


class LineMap(Mapping[str, int]):
    """Read-only mapping of JSON path (``$.commitments[0].owner``) to 1-based file line."""

    __slots__ = ("_lines", "_paths")

    def __init__(self, pairs: Mapping[str, int] | Iterable[tuple[str, int]] = ()) -> None:
        items = sorted(dict(pairs).items())
        self._paths: tuple[str, ...] = tuple(sys.intern(path) for path, _ in items)
        self._lines = array("i", (line for _, line in items))

    def __getitem__(self, path: str) -> int:
        at = bisect_left(self._paths, path)
        if at < len(self._paths) and self._paths[at] == path:
            return self._lines[at]
        raise KeyError(path)

    def __len__(self) -> int:
        return len(self._paths)

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __repr__(self) -> str:
        return f"LineMap({dict(self)!r})"

    def __reduce__(self) -> tuple[type[LineMap], tuple[list[tuple[str, int]]]]:
        # Rebuilt through __init__ on the far side of a pickle (the check's workers send plans back), so
        # the paths are interned in the receiving process too, not one copy per plan.
        return (LineMap, (list(zip(self._paths, self._lines, strict=True)),))
