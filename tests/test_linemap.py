"""The plan model's line map: the same answers as a dict, a fraction of its memory, shared paths."""

from __future__ import annotations

import pickle
import sys

import pytest

from kamdocs.plan.linemap import LineMap
from kamdocs.plan.loader import SourceFile, load

PLAN = """\
---
id: acme
account: Acme AG
goal:
  target: 1000
commitments:
  - what: call
    owner: Ann
  - what: visit
    owner: Bo
---
"""


def _source(tmp_path, name: str) -> SourceFile:
    path = tmp_path / name
    path.write_text(PLAN, encoding="utf-8")
    loaded = load(path, tmp_path, 1_000_000)
    assert isinstance(loaded.source, SourceFile)
    return loaded.source


def test_answers_as_the_dict_it_replaces() -> None:
    pairs = {"$.goal.target": 5, "$.commitments[0]": 7, "$.commitments[10]": 9, "$.commitments[1]": 8}
    lines = LineMap(pairs)
    assert dict(lines) == pairs and lines == pairs and len(lines) == 4
    assert [lines[p] for p in pairs] == [5, 7, 9, 8]
    assert "$.goal" not in lines and "$.commitments[2]" not in lines and "" not in lines
    with pytest.raises(KeyError):
        lines["$.zzz"]  # past the last sorted path
    assert min(lines.values()) == 5
    assert not LineMap() and LineMap() == {}


def test_file_lines_of_a_loaded_plan(tmp_path) -> None:
    lines = _source(tmp_path, "acme.md").line_map()
    # Counted by hand in PLAN: line 1 is the opening '---'.
    assert lines["$.commitments[0]"] == 7 and lines["$.commitments[1]"] == 9
    assert lines["$.commitments[0].owner"] == 8 and lines["$.goal.target"] == 5


def test_two_plans_share_their_path_strings_also_after_a_pickle(tmp_path) -> None:
    first, second = (_source(tmp_path, name).line_map() for name in ("a.md", "b.md"))
    assert all(a is b for a, b in zip(first, second, strict=True))
    # The check's workers send plans back pickled, one batch each: the paths are interned again.
    again = pickle.loads(pickle.dumps(second))
    assert again == second and all(a is b for a, b in zip(first, again, strict=True))


def test_much_smaller_than_a_dict_of_fresh_strings() -> None:
    pairs = {f"$.commitments[{i}].owner": 100 + i for i in range(65)}
    as_dict = sys.getsizeof(pairs) + sum(sys.getsizeof(k) + sys.getsizeof(v) for k, v in pairs.items())
    lines = LineMap(pairs)
    # What each plan holds of its own: the paths themselves are shared between plans (interned).
    own = sys.getsizeof(lines) + sys.getsizeof(lines._paths) + sys.getsizeof(lines._lines)
    assert own * 5 < as_dict
