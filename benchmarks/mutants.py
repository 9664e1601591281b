"""Planted bugs: does the test suite notice a guard that is weakened, not just removed?

How to run (from the repository root, with an interpreter that has the test dependencies,
for example the project's virtual environment, or name one with ``--python``)::

    python3 benchmarks/mutants.py                 # every mutant, then a summary
    python3 benchmarks/mutants.py --list          # names, classes and files; checks each snippet
    python3 benchmarks/mutants.py --only NAME     # one mutant (repeatable; a prefix selects a group)
    python3 benchmarks/mutants.py --no-baseline   # skip the unmutated run of the tests
    python3 benchmarks/mutants.py --jobs 2        # two mutants at a time

Each mutant is a hand-written weakening of one guard (one character fewer,
``<`` for ``<=``, one rule dropped from a set, an off-by-one line), named after
the class of guard it weakens (issue 8, deliverable 8). For each mutant the
tracked and new (not ignored) files are copied into a temporary folder (the
checkout is never changed), the mutant's snippet, which must occur exactly once, is replaced,
and ``python -m pytest -x -q -p no:cacheprovider`` runs the mutant's test
files in the copy, with ``PYTHONPATH`` naming the copy first, so that
``python -m kamdocs``, the ``kamdocs`` script and ``mkdocs build`` in
subprocesses import the mutated package too: the ``subprocess-only`` mutant
(seen only by ``python -m kamdocs``) proves it on every run, and the
attribute-escaping mutants are killed by ``tests/test_escaping.py``, whose
site is built by ``python -m mkdocs build`` in a subprocess. A failing test kills the mutant; a mutant whose tests
all pass survived, and the script exits 1.

Before the mutants, the union of their test files runs once on an unmutated
copy: a test that fails anyway would kill every mutant and prove nothing.

Run it by hand (about 7 minutes with ``--jobs 2`` on 2 cores), not in CI and not under pytest;
the last result is in docs/performance.md ("Planted bugs").
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 600
"""Seconds one mutant's tests may take; a hang counts as killed only if it is the tests timing out."""

CLASSES = (
    "attribute-escaping",
    "csv-formula",
    "markdown-cell",
    "ics",
    "duplicate-key",
    "intervals",
    "goal-period",
    "body-lines",
    "file-modes",
    "severity",
    "no-color",
    "sanitiser",
    "non-finite",
    "facet-slugs",
    "not-a-file",
    "atomic-cleanup",
    "codeowners",
    "freshness-publishes",
    "depth-prescan",
    "money",
    "quality",
    "other",
)


@dataclass(frozen=True)
class Mutant:
    name: str
    kind: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]
    why: str = ""


GUARDS = (
    "tests/test_escaping.py::test_no_generated_page_has_an_element_of_the_fields",
    "tests/test_escaping.py::test_every_kpi_cell_shows_the_field_as_written",
    "tests/test_escaping.py::test_every_buying_centre_cell_shows_the_field_as_written",
    "tests/test_escaping.py::test_commitments_page_heads_each_owner_with_the_text",
    "tests/test_escaping.py::test_budget_row_shows_area_and_unit_as_written",
    "tests/test_escaping.py::test_chart_labels_show_account_and_area_as_written",
    "tests/test_sanitize.py::test_no_data_address_survives_in_any_spelling",
    "tests/test_sanitize.py::test_an_image_keeps_a_data_image_address_in_any_case",
    "tests/test_placeholders.py::test_todo_in_the_body_has_its_line_and_column",
    "tests/test_check.py::test_severity_warning_makes_an_error_rule_a_warning",
    "tests/test_codeowners.py::test_codeowners_refuses_a_reviewer_with_a_second_word",
    "tests/test_codeowners.py::test_codeowners_skips_a_path_with_a_comment_sign_or_backslash",
    "tests/test_loader.py::test_reading_a_fifo_directly_raises_instead_of_blocking",
    "tests/test_loader.py::test_a_hash_inside_flow_text_hides_no_brackets_from_the_depth_limit",
    "tests/test_calendar.py::test_an_interval_that_ends_on_the_last_day_fits",
    "tests/test_calendar.py::test_check_accepts_a_review_due_on_the_last_day",
    "tests/test_escaping.py::test_diff_markdown_title_shows_the_account_as_text",
)
"""Tests written against the survivors of this script, each beside the feature it guards; run first for
every mutant."""

HOSTILE = (
    "tests/test_numbers.py::test_non_finite_number_is_an_error_at_the_value",
    "tests/test_numbers.py::test_non_finite_plans_never_reach_json_csv_ics_or_the_site",
    "tests/test_numbers.py::test_numbers_beyond_what_sums_and_ratios_carry_are_out_of_range",
    "tests/test_calendar.py::test_date_arithmetic_past_the_calendar_is_one_error",
    "tests/test_calendar.py::test_calendar_edges_pass_through_check_status_export_and_build",
    "tests/test_sitemap.py::test_long_and_colliding_facet_values_get_short_unique_pages",
    "tests/test_loader.py::test_fifo_socket_and_devices_are_findings_and_nothing_blocks",
    "tests/test_loader.py::test_a_fifo_named_explicitly_is_a_finding_not_a_hang",
    "tests/test_schema_bundle.py::test_a_repository_schema_that_is_a_fifo_is_a_configuration_error",
    "tests/test_sitemap.py::test_page_slugs_are_short_unique_stable_and_never_index",
    "tests/test_sitemap.py::test_a_value_written_as_another_values_hashed_page_name_gets_its_own_page",
)
"""Hostile plans (non-finite and huge numbers, the calendar's edges, facet values as page names, special
files), each beside the feature it guards."""

CLI_EDGES = (
    "tests/test_new.py::test_new_refuses_control_characters",
    "tests/test_review.py::test_review_refuses_a_reviewer_with_control_characters",
    "tests/test_yamltext.py::test_yaml_special_values_pass_check_and_read_back_exactly",
    "tests/test_new.py::test_new_suggests_a_slug_for_a_name",
    "tests/test_errors.py::test_an_unexpected_exception_is_one_line_and_exit_3",
    "tests/test_errors.py::test_usage_errors_exits_and_file_errors_keep_their_codes",
    "tests/test_errors.py::test_the_real_command_has_debug_and_documents_exit_3",
    "tests/test_review.py::test_review_and_rollover_take_a_plan_id",
    "tests/test_diff.py::test_diff_reports_a_renamed_plan_whose_id_no_longer_matches_as_invalid",
    "tests/test_diff.py::test_diff_says_when_it_falls_back_to_head",
    "tests/test_check.py::test_strict_quiet_prints_the_warnings_that_made_it_fail",
    "tests/test_cli.py::test_help_says_what_today_means_for_init_and_new_and_names_reviewer",
    "tests/test_terminal_text.py::test_no_color_is_honoured_on_a_terminal",
    "tests/test_check.py::test_severity_freshness_error_makes_every_freshness_finding_an_error",
    "tests/test_check.py::test_the_two_days_cover_every_freshness_rule",
    "tests/test_new.py::test_init_and_new_refuse_a_today_whose_plans_would_leave_the_calendar",
    "tests/test_new.py::test_init_and_new_at_the_calendars_edges_write_plans_that_check",
    "tests/test_diff.py::test_diff_and_edits_never_block_on_a_fifo",
    "tests/test_diff.py::test_links_that_lead_nowhere_are_one_line_errors_and_diff_skips_them",
    "tests/test_codeowners.py::test_codeowners_names_a_codeowners_file_it_cannot_use",
    "tests/test_check.py::test_outside_a_plans_repository_check_says_where_to_run",
    "tests/test_yamltext.py::test_new_and_review_write_text_that_yaml_1_1_readers_also_read_as_text",
    "tests/test_review.py::test_edits_never_write_a_plan_that_check_rejects",
    "tests/test_output_safety.py::test_a_link_in_the_repository_that_leads_out_is_never_written_through",
    "tests/test_cli.py::test_options_written_as_people_write_them_propose_the_value_meant",
    "tests/test_cli.py::test_help_lists_every_commands_whole_first_sentence",
    "tests/test_new.py::test_new_outside_a_plans_repository_refuses_as_check_does",
)
"""The command line at its edges (control characters, internal errors, plan ids, a real terminal), each
beside the command it guards."""

SITE = (
    *GUARDS,
    "tests/test_escaping.py",
    "tests/test_site.py",
    "tests/test_githistory.py",
    "tests/test_publication.py",
)
EXPORTS = (*GUARDS, "tests/test_exports.py", "tests/test_escaping.py", *HOSTILE)
MARKDOWN = (*GUARDS, "tests/test_escaping.py", "tests/test_cli.py", "tests/test_pr_loop.py", "tests/test_status.py")
YAML = (*GUARDS, "tests/test_loader.py", *HOSTILE, "tests/test_fuzz.py")
FRESH = (*GUARDS, "tests/test_freshness.py", *HOSTILE, "tests/test_validation_hints.py")
BODY = (
    *GUARDS,
    "tests/test_loader.py",
    "tests/test_validation_hints.py",
    "tests/test_cli.py",
    "tests/test_example_files.py",
)
WRITES = (*GUARDS, "tests/test_writes.py", "tests/test_review.py")
CLI = (*GUARDS, *CLI_EDGES, "tests/test_project.py", "tests/test_cli.py", "tests/test_config.py")
SANITISE = (*GUARDS, "tests/test_sanitize.py", "tests/test_publication.py")
MONEY = ("tests/test_budget.py", "tests/test_xlsx.py")
QUALITY = ("tests/test_quality.py", "tests/test_scorecard.py")
PLUGIN = (*GUARDS, "tests/test_plugin.py", "tests/test_site.py", "tests/test_workflows.py", "tests/test_publication.py")


def _weak_quote(expr: str) -> str:
    """``expr`` escaped for element content but not inside a double-quoted attribute value.

    The helpers write no quote character, so the mutant is valid inside any f-string."""
    return f"{expr}.replace(bytes((38, 113, 117, 111, 116, 59)).decode(), chr(34))"


def _weak_lt(expr: str) -> str:
    """``expr`` escaped except for ``<`` (``&``, ``>`` and quotes still are)."""
    return f"{expr}.replace(bytes((38, 108, 116, 59)).decode(), chr(60))"


def _weak_amp(expr: str) -> str:
    """``expr`` escaped except for ``&``: an entity the author wrote is decoded by the browser."""
    return f"{expr}.replace(bytes((38, 97, 109, 112, 59)).decode(), chr(38))"


MUTANTS: tuple[Mutant, ...] = (
    # The proof that subprocesses run the mutated copy: only `kamdocs` and `mkdocs` in a
    # subprocess see this, and a test that runs `kamdocs --version` in one must fail.
    Mutant(
        "subprocess-only",
        "other",
        "kamdocs/__main__.py",
        "\nmain()\n",
        "\nimport sys\n\nsys.exit(97)  # planted: `python -m kamdocs` does nothing\n",
        ("tests/test_cli.py",),
        "only a subprocess runs __main__; killed means PYTHONPATH reaches subprocesses",
    ),
    # --- escaping inside attribute values, per field that reaches a page ---
    Mutant(
        "esc-no-quote",
        "attribute-escaping",
        "kamdocs/site/html.py",
        "str(value), quote=True)",
        "str(value), quote=False)",
        SITE,
    ),
    Mutant(
        "chip-owner-attr",
        "attribute-escaping",
        "kamdocs/site/plan_page.py",
        'title="{esc(c.owner)}, due',
        'title="{' + _weak_quote("esc(c.owner)") + "}, due",
        SITE,
    ),
    Mutant(
        "chip-action-content",
        "attribute-escaping",
        "kamdocs/site/plan_page.py",
        '{esc(c.status)}">{esc(c.action)}</span>',
        '{esc(c.status)}">{' + _weak_lt("esc(c.action)") + "}</span>",
        SITE,
    ),
    Mutant(
        "progress-unit-attr",
        "attribute-escaping",
        "kamdocs/site/svg.py",
        'aria-label="{esc(_progress_label(baseline, actual, target, unit))}"',
        'aria-label="{' + _weak_quote("esc(_progress_label(baseline, actual, target, unit))") + '}"',
        SITE,
    ),
    Mutant(
        "git-author-last",
        "attribute-escaping",
        "kamdocs/site/plan_page.py",
        "by {esc(last.author)};",
        "by {" + _weak_amp("esc(last.author)") + "};",
        SITE,
    ),
    Mutant(
        "git-author-rows",
        "attribute-escaping",
        "kamdocs/site/plan_page.py",
        "esc(r.author), esc(r.subject)",
        _weak_amp("esc(r.author)") + ", esc(r.subject)",
        SITE,
    ),
    Mutant(
        "git-subject",
        "attribute-escaping",
        "kamdocs/site/plan_page.py",
        "esc(r.author), esc(r.subject)",
        "esc(r.author), " + _weak_lt("esc(r.subject)"),
        SITE,
    ),
    Mutant(
        "kpi-name",
        "attribute-escaping",
        "kamdocs/site/plan_page.py",
        "esc(kpi.name),",
        _weak_lt("esc(kpi.name)") + ",",
        SITE,
    ),
    Mutant(
        "kpi-unit",
        "attribute-escaping",
        "kamdocs/site/plan_page.py",
        "esc(amount(kpi.target, kpi.unit)),",
        _weak_lt("esc(amount(kpi.target, kpi.unit))") + ",",
        SITE,
    ),
    Mutant(
        "contact-title",
        "attribute-escaping",
        "kamdocs/site/plan_page.py",
        'esc(c.title or ""),',
        _weak_lt('esc(c.title or "")') + ",",
        SITE,
    ),
    Mutant(
        "contact-reports-to",
        "attribute-escaping",
        "kamdocs/site/plan_page.py",
        'esc(c.reports_to or ""),',
        _weak_lt('esc(c.reports_to or "")') + ",",
        SITE,
    ),
    Mutant(
        "org-chart-name",
        "attribute-escaping",
        "kamdocs/site/svg.py",
        "{esc(_clip(name, 22))}",
        "{" + _weak_lt("esc(_clip(name, 22))") + "}",
        SITE,
    ),
    Mutant(
        "tag-span",
        "attribute-escaping",
        "kamdocs/site/plan_page.py",
        '<span class="kd-tag">{esc(t)}</span>',
        '<span class="kd-tag">{' + _weak_lt("esc(t)") + "}</span>",
        SITE,
    ),
    Mutant(
        "reviewer-fact",
        "attribute-escaping",
        "kamdocs/site/plan_page.py",
        '("Reviewer", esc(plan.review.reviewer)),',
        '("Reviewer", ' + _weak_lt("esc(plan.review.reviewer)") + "),",
        SITE,
    ),
    Mutant(
        "page-title-meta",
        "attribute-escaping",
        "kamdocs/site/pages.py",
        "json.dumps(esc(title))",
        "json.dumps(title.replace(chr(60), bytes((38, 108, 116, 59)).decode()))",
        SITE,
    ),
    Mutant(
        "commitments-owner-heading",
        "attribute-escaping",
        "kamdocs/site/pages.py",
        '<h2 class="kd-owner">{esc(owner)}</h2>',
        '<h2 class="kd-owner">{' + _weak_lt("esc(owner)") + "}</h2>",
        SITE,
    ),
    Mutant(
        "bar-label",
        "attribute-escaping",
        "kamdocs/site/svg.py",
        "{esc(_clip(bar.label, 28))}",
        "{" + _weak_lt("esc(_clip(bar.label, 28))") + "}",
        SITE,
    ),
    Mutant(
        "budget-unit",
        "attribute-escaping",
        "kamdocs/site/pages.py",
        'sort_cell(esc(t), "" if k is None else k)',
        "sort_cell(" + _weak_lt("esc(t)") + ', "" if k is None else k)',
        SITE,
    ),
    # --- the CSV formula guard, per leading character ---
    *(
        Mutant(
            f"csv-drop-{label}",
            "csv-formula",
            "kamdocs/escaping.py",
            'FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠")',
            "FORMULA_START = " + repr(tuple(c for c in ("=", "+", "-", "@", "＝", "＋", "－", "＠") if c != char)),
            EXPORTS,
        )
        for label, char in (
            ("equals", "="),
            ("plus", "+"),
            ("minus", "-"),
            ("at", "@"),
            ("fullwidth-equals", "＝"),
            ("fullwidth-plus", "＋"),
            ("fullwidth-minus", "－"),
            ("fullwidth-at", "＠"),
        )
    ),
    Mutant(
        "csv-leading-space-only",
        "csv-formula",
        "kamdocs/escaping.py",
        r'_LEADING = re.compile(r"^[\s\u200b',
        r'_LEADING = re.compile(r"^[ \u200b',
        EXPORTS,
        "only spaces skipped: a line break or tab before = is missed",
    ),
    Mutant(
        "csv-leading-no-bom",
        "csv-formula",
        "kamdocs/escaping.py",
        r"\u2060\ufeff]+",
        r"\u2060]+",
        EXPORTS,
    ),
    Mutant(
        "csv-leading-no-zwsp",
        "csv-formula",
        "kamdocs/escaping.py",
        r"[\s\u200b\u200c",
        r"[\s\u200c",
        EXPORTS,
    ),
    Mutant(
        "csv-tab-only",
        "csv-formula",
        "kamdocs/escaping.py",
        'text.startswith(("\\t", "\\r"))',
        'text.startswith("\\t")',
        EXPORTS,
    ),
    # --- Markdown cells: job summaries and diffs ---
    Mutant("md-drop-pipe", "markdown-cell", "kamdocs/escaping.py", '"|": "&#124;",', "", MARKDOWN),
    Mutant("md-drop-backslash", "markdown-cell", "kamdocs/escaping.py", '"\\\\": "&#92;",', "", MARKDOWN),
    Mutant("md-drop-backtick", "markdown-cell", "kamdocs/escaping.py", '"`": "&#96;",', "", MARKDOWN),
    Mutant("md-drop-bracket", "markdown-cell", "kamdocs/escaping.py", '"[": "&#91;",', "", MARKDOWN),
    Mutant("md-drop-lt", "markdown-cell", "kamdocs/escaping.py", '"<": "&lt;",', "", MARKDOWN),
    Mutant(
        "md-drop-u2028",
        "markdown-cell",
        "kamdocs/escaping.py",
        '"\\x85", "\\u2028", "\\u2029")',
        '"\\x85", "\\u2029")',
        MARKDOWN,
    ),
    Mutant(
        "md-drop-cr",
        "markdown-cell",
        "kamdocs/escaping.py",
        '_LINE_BREAKS = ("\\r", "\\n",',
        '_LINE_BREAKS = ("\\n",',
        MARKDOWN,
    ),
    Mutant(
        "summary-file-pipe-only",
        "markdown-cell",
        "kamdocs/report/check_output.py",
        "| {markdown_cell(f.file)} |",
        "| {f.file.replace(chr(124), bytes((38, 35, 49, 50, 52, 59)).decode())} |",
        MARKDOWN,
    ),
    Mutant(
        "summary-message-pipe",
        "markdown-cell",
        "kamdocs/report/check_output.py",
        "| {markdown_cell(f.message)} |",
        "| {markdown_cell(f.message).replace(bytes((38, 35, 49, 50, 52, 59)).decode(), chr(124))} |",
        MARKDOWN,
    ),
    Mutant(
        "diff-title-pipe-only",
        "markdown-cell",
        "kamdocs/report/diff_output.py",
        "markdown_cell(_title(plan))",
        "_title(plan).replace(chr(124), bytes((38, 35, 49, 50, 52, 59)).decode())",
        MARKDOWN,
    ),
    Mutant(
        "diff-change-pipe-only",
        "markdown-cell",
        "kamdocs/report/diff_output.py",
        "markdown_cell(describe(c))",
        "describe(c).replace(chr(124), bytes((38, 35, 49, 50, 52, 59)).decode())",
        MARKDOWN,
    ),
    # --- ICS ---
    Mutant(
        "ics-fold-once",
        "ics",
        "kamdocs/site/exports.py",
        'if len((current + char).encode("utf-8")) > limit:',
        'if not out and len((current + char).encode("utf-8")) > limit:',
        EXPORTS,
    ),
    Mutant(
        "ics-fold-75-everywhere",
        "ics",
        "kamdocs/site/exports.py",
        "limit = 75 if not out else 74",
        "limit = 75",
        EXPORTS,
    ),
    Mutant(
        "ics-fold-characters",
        "ics",
        "kamdocs/site/exports.py",
        'if len((current + char).encode("utf-8")) > limit:',
        "if len(current + char) > limit:",
        EXPORTS,
    ),
    Mutant(
        "ics-fold-shortcut-chars",
        "ics",
        "kamdocs/site/exports.py",
        'if len(line) <= 75 and (line.isascii() or len(line.encode("utf-8")) <= 75):',
        "if len(line) <= 75:",
        EXPORTS,
    ),
    Mutant(
        "ics-backslash-last",
        "ics",
        "kamdocs/site/exports.py",
        'text.replace("\\\\", "\\\\\\\\").replace(";", "\\\\;")',
        'text.replace("\\\\n", "\\\\\\\\n").replace(";", "\\\\;")',
        EXPORTS,
        "a backslash is escaped only before an n",
    ),
    Mutant(
        "ics-no-comma",
        "ics",
        "kamdocs/site/exports.py",
        '.replace(",", "\\\\,")',
        "",
        EXPORTS,
    ),
    Mutant(
        "ics-lone-cr",
        "ics",
        "kamdocs/site/exports.py",
        ').replace("\\r", "\\\\n")\n',
        ")\n",
        EXPORTS,
    ),
    Mutant(
        "ics-attendee-search",
        "ics",
        "kamdocs/site/exports.py",
        "if EMAIL.fullmatch(c.owner):",
        "if EMAIL.search(c.owner):",
        EXPORTS,
    ),
    Mutant(
        "ics-email-local-part",
        "ics",
        "kamdocs/site/exports.py",
        'r"[A-Za-z0-9._%+-]+@',
        'r"[^@:]+@',
        EXPORTS,
    ),
    Mutant(
        "ics-cn-no-caret",
        "ics",
        "kamdocs/site/exports.py",
        'text.replace("^", "^^").replace',
        "text.replace",
        EXPORTS,
    ),
    Mutant(
        "ics-cn-quote",
        "ics",
        "kamdocs/site/exports.py",
        """.replace('"', "^'")""",
        """.replace('"', "'\\"")""",
        EXPORTS,
    ),
    Mutant(
        "ics-dtend-stops-a-day-early",
        "ics",
        "kamdocs/site/exports.py",
        "if c.due < date.max:",
        "if c.due < date.max - timedelta(days=1):",
        EXPORTS,
    ),
    # --- duplicate keys ---
    Mutant(
        "dup-not-top-level",
        "duplicate-key",
        "kamdocs/plan/safeyaml.py",
        "        if key in seen:\n",
        "        if key in seen and depth > 0:\n",
        YAML,
    ),
    Mutant(
        "dup-first-line",
        "duplicate-key",
        "kamdocs/plan/safeyaml.py",
        "first = seen[key].start_mark.line + 1 + line_offset",
        "first = seen[key].start_mark.line + line_offset",
        YAML,
    ),
    Mutant(
        "dup-second-line",
        "duplicate-key",
        "kamdocs/plan/safeyaml.py",
        "second = key_node.start_mark.line + 1 + line_offset",
        "second = key_node.start_mark.line + 1",
        YAML,
    ),
    Mutant(
        "dup-position-first",
        "duplicate-key",
        "kamdocs/plan/safeyaml.py",
        "                key_node.start_mark.line,\n                key_node.start_mark.column,",
        "                seen[key].start_mark.line,\n                key_node.start_mark.column,",
        YAML,
    ),
    # --- intervals: the two-interval contact rule, by days and weeks ---
    Mutant(
        "interval-days-once",
        "intervals",
        "kamdocs/calendar/intervals.py",
        "return shifted + timedelta(days=self.days * times)",
        "return shifted + timedelta(days=self.days)",
        FRESH,
    ),
    Mutant(
        "interval-months-once",
        "intervals",
        "kamdocs/calendar/intervals.py",
        "    def after(self, start: date, times: int = 1) -> date:\n"
        '        """``start`` plus this interval ``times`` over, months first, clamped to month end.\n',
        "    def after(self, start: date, times: int = 1) -> date:\n"
        "        times = 1 if self.days == 0 else times\n"
        '        """``start`` plus this interval ``times`` over, months first, clamped to month end.\n',
        FRESH,
    ),
    Mutant(
        "interval-weeks-and-days",
        "intervals",
        "kamdocs/calendar/intervals.py",
        "days=weeks * 7 + days)",
        "days=max(weeks * 7, days))",
        FRESH,
    ),
    Mutant(
        "contact-stale-boundary",
        "intervals",
        "kamdocs/rules/freshness.py",
        "interval.after(contact.last_contact, 2) < today",
        "interval.after(contact.last_contact, 2) <= today",
        FRESH,
    ),
    Mutant(
        "kpi-stale-boundary",
        "intervals",
        "kamdocs/rules/freshness.py",
        "interval.after(kpi.as_of) < today",
        "interval.after(kpi.as_of) <= today",
        FRESH,
    ),
    Mutant(
        "due-soon-boundary",
        "intervals",
        "kamdocs/rules/freshness.py",
        'state = "due-soon" if days_left <= due_soon_days else "fresh"',
        'state = "due-soon" if days_left < due_soon_days else "fresh"',
        FRESH,
    ),
    Mutant(
        "interval-fits-boundary",
        "intervals",
        "kamdocs/calendar/intervals.py",
        "return (date.max - shifted).days >= self.days * times",
        "return (date.max - shifted).days > self.days * times",
        FRESH,
        "a review that lands exactly on 9999-12-31 is said not to fit",
    ),
    # --- goal period start == end ---
    Mutant(
        "period-equal-inverted",
        "goal-period",
        "kamdocs/rules/checks.py",
        "if plan.goal.period.start > plan.goal.period.end:",
        "if plan.goal.period.start >= plan.goal.period.end:",
        (*FRESH, "tests/test_example_files.py"),
    ),
    Mutant(
        "goal-expired-on-last-day",
        "goal-period",
        "kamdocs/rules/freshness.py",
        "if plan.goal.period.end < today:",
        "if plan.goal.period.end <= today:",
        FRESH,
    ),
    # --- line numbers of findings in the body ---
    Mutant(
        "body-line-off-by-one",
        "body-lines",
        "kamdocs/plan/loader.py",
        "body, closing + 2, closing + 1, yaml_text",
        "body, closing + 1, closing + 1, yaml_text",
        BODY,
    ),
    Mutant(
        "todo-column",
        "body-lines",
        "kamdocs/rules/checks.py",
        "len(line) - len(line.lstrip()) + 1,",
        "len(line) - len(line.lstrip()) + 1 if line[:1] != '\\t' else 1,",
        BODY,
        "a tab-indented TODO gets column 1",
    ),
    Mutant(
        "section-missing-line",
        "body-lines",
        "kamdocs/rules/checks.py",
        "            source.closing_line,\n            1,\n",
        "            source.closing_line + 1,\n            1,\n",
        BODY,
    ),
    Mutant(
        "lone-cr-lines",
        "body-lines",
        "kamdocs/plan/loader.py",
        'text = text.replace("\\r\\n", "\\n").replace("\\r", "\\n")',
        'text = text.replace("\\r\\n", "\\n").replace("\\r", "")',
        BODY,
    ),
    Mutant(
        "embed-marker-line",
        "body-lines",
        "kamdocs/plugin.py",
        'return text.count("\\n", 0, at) + 1 if at >= 0 else 1',
        'return text.count("\\n", 0, at) if at >= 0 else 1',
        PLUGIN,
    ),
    Mutant(
        "yaml-line-ignores-leading-blank-lines",
        "body-lines",
        "kamdocs/plan/loader.py",
        "yaml_line = opening + 2",
        "yaml_line = 2",
        BODY,
    ),
    Mutant(
        "rollover-same-start-allowed",
        "goal-period",
        "kamdocs/edit/rollover.py",
        "if start <= current_start:",
        "if start < current_start:",
        (*GUARDS, "tests/test_writes.py", "tests/test_pr_loop.py", "tests/test_review.py"),
        "a next period that starts on the current start is let through",
    ),
    # --- file modes kept by review and rollover ---
    Mutant(
        "mode-no-special-bits",
        "file-modes",
        "kamdocs/system/atomicfile.py",
        "mode = status.st_mode & 0o7777",
        "mode = status.st_mode & 0o777",
        WRITES,
    ),
    Mutant(
        "mode-new-ignores-umask",
        "file-modes",
        "kamdocs/system/atomicfile.py",
        "return 0o666 & ~umask",
        "return 0o644",
        WRITES,
    ),
    Mutant(
        "mode-group-write-dropped",
        "file-modes",
        "kamdocs/system/atomicfile.py",
        "os.chmod(temporary, mode)",
        "os.chmod(temporary, mode & ~0o020)",
        WRITES,
    ),
    # --- atomic write cleanup ---
    Mutant(
        "cleanup-only-exclusive",
        "atomic-cleanup",
        "kamdocs/system/atomicfile.py",
        "        if temporary is not None:\n",
        "        if temporary is not None and exclusive:\n",
        WRITES,
    ),
    Mutant(
        "cleanup-not-exclusive",
        "atomic-cleanup",
        "kamdocs/system/atomicfile.py",
        "        if temporary is not None:\n",
        "        if temporary is not None and not exclusive:\n",
        WRITES,
    ),
    Mutant(
        "exclusive-no-lexists",
        "atomic-cleanup",
        "kamdocs/system/atomicfile.py",
        "if exclusive and os.path.lexists(path):",
        "if exclusive and os.path.exists(path):",
        WRITES,
        "a dangling symlink at the target is followed",
    ),
    # --- --severity freshness=error ---
    Mutant(
        "severity-freshness-drops-first",
        "severity",
        "kamdocs/config/options.py",
        "dict.fromkeys(sorted(FRESHNESS_RULES), Severity(level))",
        "dict.fromkeys(sorted(FRESHNESS_RULES)[1:], Severity(level))",
        (*CLI, "tests/test_freshness.py"),
    ),
    Mutant(
        "severity-freshness-drops-last",
        "severity",
        "kamdocs/config/options.py",
        "dict.fromkeys(sorted(FRESHNESS_RULES), Severity(level))",
        "dict.fromkeys(sorted(FRESHNESS_RULES)[:-1], Severity(level))",
        (*CLI, "tests/test_freshness.py"),
    ),
    Mutant(
        "severity-override-not-applied-to-errors",
        "severity",
        "kamdocs/rules/pipeline.py",
        "replace(f, severity=config.severity[f.rule]) if f.rule in config.severity else f",
        "replace(f, severity=config.severity[f.rule]) if f.rule in config.severity and not f.is_error else f",
        (*CLI, "tests/test_freshness.py"),
    ),
    # --- NO_COLOR on a terminal ---
    Mutant(
        "no-color-only-1",
        "no-color",
        "kamdocs/cli/check.py",
        '"NO_COLOR" not in os.environ',
        'os.environ.get("NO_COLOR") != "1"',
        CLI,
    ),
    Mutant(
        "no-color-ignored",
        "no-color",
        "kamdocs/cli/check.py",
        'sys.stdout.isatty() and "NO_COLOR" not in os.environ',
        "sys.stdout.isatty()",
        CLI,
    ),
    # --- the sanitiser allow-list ---
    Mutant(
        "sanitise-img-onerror",
        "sanitiser",
        "kamdocs/site/sanitize.py",
        '"img": {"src", "alt", "width", "height"},',
        '"img": {"src", "alt", "width", "height", "onerror"},',
        SANITISE,
    ),
    Mutant(
        "sanitise-global-onclick",
        "sanitiser",
        "kamdocs/site/sanitize.py",
        '"*": {"id", "class", "title", "lang", "dir"},',
        '"*": {"id", "class", "title", "lang", "dir", "onclick"},',
        SANITISE,
    ),
    Mutant(
        "sanitise-data-on-a",
        "sanitiser",
        "kamdocs/site/sanitize.py",
        'not (element == "img" and url[5:11].lower() == "image/")',
        'not (url[5:11].lower() == "image/")',
        SANITISE,
    ),
    Mutant(
        "sanitise-data-case",
        "sanitiser",
        "kamdocs/site/sanitize.py",
        'url[:5].lower() == "data:"',
        'url[:5] == "data:"',
        SANITISE,
    ),
    Mutant(
        "sanitise-data-cr",
        "sanitiser",
        "kamdocs/site/sanitize.py",
        '_IGNORED_IN_URL = re.compile(r"[\\t\\n\\r]")',
        '_IGNORED_IN_URL = re.compile(r"[\\t\\n]")',
        SANITISE,
    ),
    Mutant(
        "sanitise-data-leading-space",
        "sanitiser",
        "kamdocs/site/sanitize.py",
        "for i in range(0x21))",
        "for i in range(0x20))",
        SANITISE,
    ),
    Mutant(
        "sanitise-style-kept",
        "sanitiser",
        "kamdocs/site/sanitize.py",
        'CLEAN_CONTENT_TAGS = frozenset({"script", "style", ',
        'TAGS = TAGS | {"style"}\nCLEAN_CONTENT_TAGS = frozenset({"script", ',
        SANITISE,
    ),
    Mutant(
        "sanitise-iframe",
        "sanitiser",
        "kamdocs/site/sanitize.py",
        '*("abbr", "dfn", "kbd",',
        '*("iframe", "abbr", "dfn", "kbd",',
        SANITISE,
    ),
    Mutant(
        "sanitise-javascript-scheme",
        "sanitiser",
        "kamdocs/site/sanitize.py",
        'URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "data"})',
        'URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "data", "javascript"})',
        SANITISE,
    ),
    Mutant(
        "sanitise-any-style-property",
        "sanitiser",
        "kamdocs/site/sanitize.py",
        'filter_style_properties={"text-align"},',
        "filter_style_properties=None,",
        SANITISE,
    ),
    Mutant(
        "sanitise-dunder-id",
        "sanitiser",
        "kamdocs/site/sanitize.py",
        '_ID = re.compile(r"[^\\W_][\\w:.-]*|_\\d+")',
        '_ID = re.compile(r"[\\w:.-]+")',
        SANITISE,
    ),
    # --- non-finite numbers ---
    Mutant(
        "finite-nan-passes",
        "non-finite",
        "kamdocs/plan/safeyaml.py",
        "if isinstance(value, float) and not math.isfinite(value):",
        "if isinstance(value, float) and math.isinf(value):",
        YAML,
    ),
    Mutant(
        "finite-magnitude-x10",
        "non-finite",
        "kamdocs/plan/safeyaml.py",
        "if abs(value) > MAX_MAGNITUDE or",
        "if abs(value) > MAX_MAGNITUDE * 10 or",
        YAML,
    ),
    Mutant(
        "finite-tiny-passes",
        "non-finite",
        "kamdocs/plan/safeyaml.py",
        "(value and abs(value) < MIN_MAGNITUDE)",
        "(value and abs(value) < MIN_MAGNITUDE / 10)",
        YAML,
    ),
    Mutant(
        "finite-nan-spelling-dropped",
        "non-finite",
        "kamdocs/plan/safeyaml.py",
        '    ".NaN": math.nan,\n',
        "",
        YAML,
        "'.NaN' becomes text: a type error instead of the non-finite finding",
    ),
    # --- facet slugs ---
    Mutant(
        "slug-length-255",
        "facet-slugs",
        "kamdocs/site/pages.py",
        "SLUG_LENGTH = 60\n",
        "SLUG_LENGTH = 250\n",
        (*SITE, *HOSTILE),
    ),
    Mutant(
        "slug-collisions-kept",
        "facet-slugs",
        "kamdocs/site/pages.py",
        "counts[slug] == 1 and",
        "counts[slug] >= 1 and",
        (*SITE, *HOSTILE),
    ),
    Mutant(
        "slug-reserved-ignored",
        "facet-slugs",
        "kamdocs/site/pages.py",
        "and counts[slug] == 1 and slug not in reserved:",
        "and counts[slug] == 1:",
        (*SITE, *HOSTILE),
    ),
    Mutant(
        "slug-stem-unbounded",
        "facet-slugs",
        "kamdocs/site/pages.py",
        'stem = plain[value][:SLUG_LENGTH].rstrip("-") or "value"',
        'stem = plain[value][: SLUG_LENGTH * 4].rstrip("-") or "value"',
        (*SITE, *HOSTILE),
    ),
    # --- not-a-file ---
    Mutant(
        "not-a-file-dir-fifo-only",
        "not-a-file",
        "kamdocs/plan/loader.py",
        "        if not stat.S_ISREG(info.st_mode):\n            return _not_regular(rel, info.st_mode)",
        "        if stat.S_ISDIR(info.st_mode) or stat.S_ISFIFO(info.st_mode):\n"
        "            return _not_regular(rel, info.st_mode)",
        (*GUARDS, *HOSTILE, "tests/test_loader.py"),
    ),
    Mutant(
        "not-a-file-blocking-open",
        "not-a-file",
        "kamdocs/plan/loader.py",
        'handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))',
        'handle = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))',
        (*GUARDS, *HOSTILE, "tests/test_loader.py", "tests/test_pr_loop.py"),
    ),
    # --- CODEOWNERS ---
    Mutant(
        "codeowners-handle-prefix",
        "codeowners",
        "kamdocs/edit/codeowners.py",
        "if GITHUB_HANDLE.fullmatch(handle)",
        "if GITHUB_HANDLE.match(handle)",
        (*GUARDS, "tests/test_pr_loop.py", "tests/test_writes.py", "tests/test_cli.py"),
    ),
    Mutant(
        "codeowners-hash-path",
        "codeowners",
        "kamdocs/edit/codeowners.py",
        r'_UNSAFE_PATH = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029#\\]")',
        r'_UNSAFE_PATH = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029\\]")',
        (*GUARDS, "tests/test_pr_loop.py", "tests/test_writes.py", "tests/test_cli.py"),
    ),
    Mutant(
        "codeowners-handle-space",
        "codeowners",
        "kamdocs/config/options.py",
        'GITHUB_HANDLE = re.compile(r"@[A-Za-z0-9](?:[A-Za-z0-9-]*)',
        'GITHUB_HANDLE = re.compile(r"@[A-Za-z0-9](?:[A-Za-z0-9 -]*)',
        (*GUARDS, "tests/test_pr_loop.py", "tests/test_writes.py", "tests/test_cli.py", "tests/test_config.py"),
    ),
    # --- freshness never fails the build ---
    Mutant(
        "freshness-error-stops-build",
        "freshness-publishes",
        "kamdocs/plugin.py",
        "other = [f for f in findings if f.rule not in FRESHNESS_RULES]",
        "other = [f for f in findings if f.rule not in FRESHNESS_RULES or f.is_error]",
        PLUGIN,
    ),
    Mutant(
        "freshness-goal-expired-warns",
        "freshness-publishes",
        "kamdocs/plugin.py",
        '            log.info(_line(f, "freshness"))',
        '            (log.warning if f.rule == "goal-expired" else log.info)(_line(f, "freshness"))',
        PLUGIN,
    ),
    Mutant(
        "freshness-contact-warns",
        "freshness-publishes",
        "kamdocs/plugin.py",
        '            log.info(_line(f, "freshness"))',
        '            (log.warning if f.rule == "contact-stale" else log.info)(_line(f, "freshness"))',
        PLUGIN,
    ),
    # --- the depth pre-scan ---
    Mutant(
        "prescan-square-only",
        "depth-prescan",
        "kamdocs/plan/safeyaml.py",
        'if text.count("[") + text.count("{") <= MAX_DEPTH:',
        'if text.count("[") <= MAX_DEPTH:',
        YAML,
    ),
    Mutant(
        "prescan-one-deeper",
        "depth-prescan",
        "kamdocs/plan/safeyaml.py",
        "            depth += 1\n            if depth > MAX_DEPTH:\n                return (True, mark.start())",
        "            depth += 1\n            if depth > MAX_DEPTH + 1:\n                return (True, mark.start())",
        YAML,
    ),
    Mutant(
        "prescan-comment-swallows",
        "depth-prescan",
        "kamdocs/plan/safeyaml.py",
        'if text[mark.start() - 1 : mark.start()] in (" ", "\\t", "\\n"):',
        "if True:",
        YAML,
        "a # inside plain flow text is taken for a comment, hiding the brackets after it",
    ),
    Mutant(
        "convert-depth-off-by-one",
        "depth-prescan",
        "kamdocs/plan/safeyaml.py",
        "if depth >= MAX_DEPTH:\n        raise _too_deep(node.start_mark.line",
        "if depth > MAX_DEPTH:\n        raise _too_deep(node.start_mark.line",
        YAML,
    ),
    # --- issue 9: money (budget, fiscal years, the workbook) and the reviewer's figures ---
    Mutant(
        "budget-missing-actual-is-zero",
        "money",
        "kamdocs/report/budget.py",
        "if g.actual is not None) if with_actual else None,",
        "if g.actual is not None) if with_actual else 0.0,",
        MONEY,
        "a line where no plan gives an actual shows 0 instead of missing",
    ),
    Mutant(
        "budget-attainment-over-every-target",
        "money",
        "kamdocs/report/budget.py",
        "target_with_actual=_sum(g.target for g in with_actual),",
        "target_with_actual=_sum(g.target for g in goals),",
        MONEY,
        "attainment divides by the targets of plans that report no actual too",
    ),
    Mutant(
        "fiscal-year-starts-a-day-late",
        "money",
        "kamdocs/calendar/fiscal.py",
        "(day.month, day.day) >= (month, first_day)",
        "(day.month, day.day) > (month, first_day)",
        MONEY,
    ),
    Mutant(
        "xlsx-text-unguarded",
        "money",
        "kamdocs/site/xlsx.py",
        "self.sheet.write_string(self.row, column, csv_cell(str(value)))",
        "self.sheet.write_string(self.row, column, str(value))",
        MONEY,
        "text that starts like a formula reaches the workbook without the CSV's leading apostrophe",
    ),
    Mutant(
        "xlsx-missing-total-is-zero",
        "money",
        "kamdocs/site/xlsx.py",
        """f'=IF({cell(missing)}={cell(PLANS)},"",{sumif(column)})'""",
        'f"={sumif(column)}"',
        MONEY,
        "a total over lines without actuals evaluates to 0 (seen only by a calculating reader: LibreOffice)",
    ),
    Mutant(
        "quality-points-rounded-alone",
        "quality",
        "kamdocs/rules/quality.py",
        "for i in order[: max(0, total - sum(points))]:",
        "for i in order[:0]:",
        QUALITY,
        "reasons no longer add up to the points lost",
    ),
    Mutant(
        "delivery-imported-done-is-late",
        "quality",
        "kamdocs/history/delivery.py",
        "if delivery is None or not delivery.known or commitment.id in delivery.done_before_history:",
        "if delivery is None or not delivery.known:",
        QUALITY,
        "a commitment done before the plan's first commit counts as done on that commit's day",
    ),
    Mutant(
        "scorecard-counts-dropped",
        "quality",
        "kamdocs/report/scorecard.py",
        'if c.status == "dropped" or c.due not in period:',
        "if c.due not in period:",
        QUALITY,
    ),
)


def tracked_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", "surrogateescape")
    return [name for name in out.split("\0") if name and ((ROOT / name).is_file() or (ROOT / name).is_symlink())]


def copy_tree(files: list[str], dest: Path) -> None:
    """The tracked and new (not ignored) files as they are in the working tree, edits included."""
    for name in files:
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target, follow_symlinks=False)


def apply(mutant: Mutant, tree: Path) -> None:
    path = tree / mutant.file
    text = path.read_text(encoding="utf-8")
    count = text.count(mutant.old)
    if count != 1:
        raise SystemExit(f"{mutant.name}: the snippet occurs {count} times in {mutant.file}, expected once")
    mutated = text.replace(mutant.old, mutant.new, 1)
    try:
        compile(mutated, str(path), "exec")
    except SyntaxError as exc:
        raise SystemExit(
            f"{mutant.name}: the mutant is not valid Python ({exc}); a syntax error proves nothing"
        ) from None
    path.write_text(mutated, encoding="utf-8")


def run_tests(tree: Path, tests: tuple[str, ...], python: str) -> tuple[int, float, str]:
    present = [t for t in dict.fromkeys(tests) if (tree / t.partition("::")[0]).exists()]  # a file or a test in one
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env["PYTHONPATH"] = str(tree) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("VIRTUAL_ENV_PROMPT", None)
    # `kamdocs` and `mkdocs` scripts of the interpreter's environment come first on PATH.
    env["PATH"] = str(Path(python).parent) + os.pathsep + env.get("PATH", "")
    start = time.monotonic()
    try:
        done = subprocess.run(
            [python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *present],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return (-1, time.monotonic() - start, "timed out")
    return (done.returncode, time.monotonic() - start, done.stdout + done.stderr)


def _first_failure(output: str) -> str:
    for line in output.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" - ")[0][:150]
    return output.strip().splitlines()[-1][:150] if output.strip() else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="run this mutant (or prefix)")
    parser.add_argument("--list", action="store_true", help="list the mutants and check their snippets")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unmutated run")
    parser.add_argument("--jobs", type=int, default=1, help="mutants tested at once (default 1)")
    parser.add_argument("--python", default=sys.executable, help="interpreter with kamdocs' test dependencies")
    args = parser.parse_args(argv)

    names = [m.name for m in MUTANTS]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise SystemExit(f"duplicate mutant names: {sorted(duplicates)}")
    for m in MUTANTS:
        if m.kind not in CLASSES:
            raise SystemExit(f"{m.name}: unknown class {m.kind!r}")
    chosen = [m for m in MUTANTS if not args.only or any(m.name.startswith(o) for o in args.only)]
    if not chosen:
        raise SystemExit(f"no mutant matches {args.only}")

    if args.list:
        problems = 0
        for m in chosen:
            text = (ROOT / m.file).read_text(encoding="utf-8")
            count = text.count(m.old)
            mark = "" if count == 1 else f"   <-- snippet found {count} times"
            try:
                compile(text.replace(m.old, m.new, 1), m.file, "exec")
            except SyntaxError as exc:
                mark += f"   <-- not valid Python: {exc}"
            problems += bool(mark)
            print(f"{m.name:42} {m.kind:20} {m.file}{mark}")
        print(f"{len(chosen)} mutants in {len({m.kind for m in chosen})} classes")
        return 1 if problems else 0

    files = tracked_files()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kamdocs-mutants-") as scratch:
        if not args.no_baseline:
            tree = Path(scratch) / "baseline"
            copy_tree(files, tree)
            tests = tuple(dict.fromkeys(t for m in chosen for t in m.tests))
            code, seconds, output = run_tests(tree, tests, args.python)
            print(f"baseline (unmutated, {len(tests)} test files): exit {code} in {seconds:.0f} s", flush=True)
            if code != 0:
                print(output[-3000:])
                print("the tests fail without a mutant; fix that first")
                return 2
            shutil.rmtree(tree)
        survivors, errors = [], []

        def one(item: tuple[int, Mutant]) -> tuple[int, Mutant, int, float, str]:
            number, m = item
            tree = Path(scratch) / f"m{number}"
            copy_tree(files, tree)
            apply(m, tree)
            try:
                return (number, m, *run_tests(tree, m.tests, args.python))
            finally:
                shutil.rmtree(tree, ignore_errors=True)

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for number, m, code, seconds, output in pool.map(one, enumerate(chosen, 1)):
                if code in (1, -1):
                    verdict = "killed" if code == 1 else "killed (timeout)"
                    detail = _first_failure(output)
                elif code == 0:
                    verdict = "SURVIVED"
                    survivors.append(m)
                    detail = m.why
                else:
                    verdict = f"ERROR (pytest exit {code})"
                    errors.append(m)
                    detail = _first_failure(output)
                print(
                    f"[{number:3}/{len(chosen)}] {m.name:40} {m.kind:19} {verdict:8} {seconds:5.1f} s  {detail}",
                    flush=True,
                )
    elapsed = time.monotonic() - started
    killed = len(chosen) - len(survivors) - len(errors)
    print(
        f"\n{len(chosen)} mutants: {killed} killed, {len(survivors)} survived, {len(errors)} errors "
        f"in {elapsed / 60:.1f} min ({os.cpu_count()} cores, Python {sys.version.split()[0]})"
    )
    for m in survivors:
        print(f"  survived: {m.name} ({m.kind}) in {m.file}: {m.old.strip()[:60]!r} -> {m.new.strip()[:60]!r}")
    return 1 if survivors or errors else 0


if __name__ == "__main__":
    sys.exit(main())
