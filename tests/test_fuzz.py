"""Random bytes and random YAML never produce a traceback: only findings."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamdocs.config import Config
from kamdocs.findings import Finding
from kamdocs.plan.loader import parse_bytes
from kamdocs.plan.validation import PlanValidator
from kamdocs.rules.pipeline import CheckRun, check_files

from .conftest import plan_text

VALIDATOR = PlanValidator(Config(root=Path(".")))

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
yaml_fragments = st.lists(
    st.sampled_from(
        [
            "---",
            "...",
            "- ",
            ": ",
            "? ",
            "&a ",
            "*a ",
            "!!str ",
            "!t ",
            "[",
            "]",
            "{",
            "}",
            ",",
            "#",
            "'",
            '"',
            "|",
            ">",
            "\t",
            "\n",
            "  ",
            "id",
            "goal",
            "2026-02-30",
            "NO",
            "\ufeff",
            "\r\n",
            "%YAML 1.2",
            "@",
            "`",
        ]
    )
    | st.text(max_size=5),
    max_size=40,
).map("".join)


def _assert_clean(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "fuzz.md"
    path.write_bytes(raw)
    result = check_files([path], CheckRun.without_freshness(Config(root=tmp_path), VALIDATOR))
    for finding in result.findings:
        assert isinstance(finding, Finding)
        assert finding.line >= 1 and finding.column >= 1
        assert finding.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=400))
def test_random_bytes(raw: bytes, tmp_path: Path) -> None:
    _assert_clean(raw, tmp_path)
    _assert_clean(b"---\n" + raw + b"\n---\n", tmp_path)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=yaml_fragments)
def test_random_yaml_text(text: str, tmp_path: Path) -> None:
    _assert_clean(("---\n" + text + "\n---\nbody\n").encode("utf-8", "surrogatepass"), tmp_path)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=yaml_values)
def test_random_yaml_documents(value: object, tmp_path: Path) -> None:
    _assert_clean(
        ("---\n" + yaml.safe_dump(value, allow_unicode=True) + "---\n").encode("utf-8", "surrogatepass"), tmp_path
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    key=st.sampled_from(["id", "kind", "goal", "review", "commitments", "success_factors", "owner", "x-y"]),
    value=yaml_values,
)
def test_random_values_in_a_valid_plan(key: str, value: object, tmp_path: Path) -> None:
    text = plan_text("fuzz")
    dumped = yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=True).strip()
    _assert_clean(text.replace("---\nid: fuzz\n", "---\nid: fuzz\n" + dumped[1:-1] + "\n", 1).encode(), tmp_path)


@given(raw=st.binary(max_size=200))
def test_parse_bytes_never_raises(raw: bytes) -> None:
    loaded = parse_bytes(raw, "x.md")
    assert (loaded.source is None) == bool(loaded.findings)
