"""Quality reasons and freshness findings in the reader's language: every message goes through the catalogue
whole, its values (ids, dates, day counts) put in after the translation, and the check's worker processes
speak the build's language.

A stand-in catalogue marks each translated message, so these tests do not depend on the shipped translations;
the English ones (byte for byte what ``kamdocs check`` always said) are in test_quality.py and
test_freshness.py.
"""

from __future__ import annotations

import gettext
import os
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from babel import Locale

from kamdocs import i18n
from kamdocs.config import Config
from kamdocs.rules import pipeline
from kamdocs.rules.freshness import days_text, interval_words, issues, status_words
from kamdocs.rules.pipeline import CheckRun, check_paths
from kamdocs.rules.quality import quality_of

from .conftest import ROOT

TODAY = date(2027, 3, 1)
"""A day on which the sample plans have late reviews, overdue commitments and stale contacts."""


class Marked(gettext.NullTranslations):
    """A catalogue that says every message in brackets, so a test sees what went through it."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"


MARKED = i18n.Speech("de", Locale.parse("de_CH"), Marked())


@pytest.fixture
def sample(tmp_path: Path) -> Config:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    return Config(root=tmp_path)


def _plans(config: Config):
    return check_paths(None, CheckRun.without_freshness(config)).plans


def test_every_reason_and_finding_is_one_translated_message_with_its_values_put_in(sample: Config) -> None:
    reasons, findings = [], []
    with i18n.speaking(MARKED):
        for plan in _plans(sample):
            quality = quality_of(plan, TODAY, sample, None)
            assert quality is not None
            reasons += [r.message for r in quality.reasons]
            findings += issues(plan, TODAY, sample.default_interval, sample.due_soon_days)
    assert reasons and findings
    for message in reasons + [f.message for f in findings] + [f.says for f in findings]:
        assert message.startswith("⟦") and message.endswith("⟧"), message  # one message, translated whole
        assert "{" not in message, message  # every placeholder filled
    overdue = next(f for f in findings if f.rule == "review-overdue")
    assert "⟦The review was due on " in overdue.says
    assert "20.11.2026" in overdue.says  # the reader's date, put in after the translation
    assert "⟦quarterly⟧" in overdue.says  # the interval in the reader's words


def test_values_are_written_for_the_reader() -> None:
    assert days_text(1171) == "1171"  # English pages and the check, as always
    assert interval_words("quarterly") == "quarterly"
    assert status_words("in-progress") == "in progress"
    with i18n.speaking(i18n.resolve("de")[0]):
        assert days_text(1171) == "1’171"
        assert interval_words("P6W") == "P6W"  # a duration stays as written
    with i18n.speaking(MARKED):
        assert interval_words("quarterly") == "⟦quarterly⟧"
        assert status_words("in-progress") == "⟦in progress⟧"


def test_english_messages_keep_their_words_dates_and_counts(sample: Config) -> None:
    findings = [f for p in _plans(sample) for f in issues(p, TODAY, sample.default_interval, sample.due_soon_days)]
    overdue = next(f for f in findings if f.rule == "review-overdue")
    assert overdue.message.startswith("expected a review by 2026-")
    assert overdue.message.endswith(" days overdue")


def test_forked_check_workers_speak_the_language_of_the_build(sample: Config, monkeypatch) -> None:
    """The check forks its workers from the build's process, with the language the plugin set in on_config:
    the workers' freshness findings (the build log's lines) are in that language."""
    parent = os.getpid()
    checked = pipeline._check_one

    def traced(path, run):
        result = checked(path, run)
        if os.getpid() != parent:  # in a worker: tell the parent through the findings themselves
            hint = f"worker:{i18n.speech().language}"
            result = replace(result, findings=tuple(replace(f, hint=hint) for f in result.findings))
        return result

    monkeypatch.setattr(pipeline, "_check_one", traced)
    if not pipeline.fork_is_safe():
        pytest.skip("this process cannot fork (threads or platform)")
    with i18n.speaking(MARKED):
        result = check_paths(None, CheckRun.with_freshness(sample, TODAY, jobs=2))
    late = [f for f in result.findings if f.rule in ("review-overdue", "commitment-overdue")]
    spoken = [(f.hint.startswith("worker:"), f.hint) for f in late]
    assert late and all(in_worker for in_worker, _hint in spoken), spoken
    assert {hint for _w, hint in spoken} == {"worker:de"}
    assert all(f.message.startswith("⟦expected ") for f in late)
