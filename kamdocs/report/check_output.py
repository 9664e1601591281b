"""Reporters: one finding model, several output formats (text, json, github).

Each reporter only formats; deciding what is an error and the exit code is
the CLI's job. The GitHub reporter also writes the job summary table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import click

from kamdocs.escaping import markdown_cell, one_line, path_text
from kamdocs.findings import Finding
from kamdocs.report.formats import Formats
from kamdocs.rules.pipeline import CheckResult

JSON_VERSION = 1
GITHUB_ANNOTATION_LIMIT = 10
"""GitHub shows at most 10 error and 10 warning annotations per step."""


@dataclass(frozen=True)
class CheckReport:
    """The input of every ``kamdocs check`` format: the result and how it is to be shown."""

    result: CheckResult
    color: bool = False
    verbose: int = 0
    """-1 with ``-q``: only what fails the run."""
    strict: bool = False


def report_json(report: CheckReport) -> str:
    """The versioned JSON shape documented in docs/cli.md."""
    result = report.result
    document: dict[str, Any] = {
        "version": JSON_VERSION,
        "summary": {"plans": result.files, "errors": result.errors, "warnings": result.warnings},
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity.value,
                "file": path_text(f.file),
                "line": f.line,
                "column": f.column,
                "path": f.path,
                "message": f.message,
                "hint": f.hint,
            }
            for f in result.findings
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def report_text(report: CheckReport) -> str:
    """``file:line:col: severity[rule] message`` lines, as editors and terminals link them.

    ``verbose`` -1 (``-q``) keeps only the findings that fail the run: errors,
    and under ``strict`` warnings too, so a failing run always says why.
    """
    result, color, verbose, strict = report.result, report.color, report.verbose, report.strict
    lines = []
    for f in result.findings:
        if verbose < 0 and not f.is_error and not strict:
            continue
        severity = (
            click.style(f.severity.value, fg="red" if f.is_error else "yellow", bold=True)
            if color
            else f.severity.value
        )
        where = f"{one_line(f.file)}:{f.line}:{f.column}"
        where = click.style(where, bold=True) if color else where
        lines.append(f"{where}: {severity}[{f.rule}] {one_line(f.message)}")
        if verbose >= 0 and f.hint:
            lines.append(f"    hint: {one_line(f.hint)}")
        if verbose > 0:
            lines.append(f"    at: {f.path}")
    if verbose >= 0:
        lines.append(summary_line(result))
    return "\n".join(lines)


def summary_line(result: CheckResult) -> str:
    plans = f"{result.files} plan" + ("" if result.files == 1 else "s")
    return f"Checked {plans}: {_count(result.errors, 'error')}, {_count(result.warnings, 'warning')}."


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    """One GitHub workflow command, escaped as the runner expects."""
    level = "error" if f.is_error else "warning"
    props = ",".join(
        [
            f"file={_escape_property(one_line(f.file))}",
            f"line={f.line}",
            f"col={f.column}",
            f"title={_escape_property('kamdocs ' + f.rule)}",
        ]
    )
    message = one_line(f.message) + (f"\n{one_line(f.hint)}" if f.hint else "")
    return f"::{level} {props}::{_escape_data(message)}"


def report_github(report: CheckReport) -> str:
    """Annotations for the first 10 errors and 10 warnings; the rest as log lines and a notice."""
    result = report.result
    lines = []
    shown = {"error": 0, "warning": 0}
    rest: list[Finding] = []
    for f in result.findings:
        level = f.severity.value
        if shown[level] < GITHUB_ANNOTATION_LIMIT:
            shown[level] += 1
            lines.append(annotation(f))
        else:
            rest.append(f)
    for f in rest:
        lines.append(f.log_line())
    if rest:
        lines.append(
            f"::notice title=kamdocs::{len(rest)} more finding(s) than GitHub shows as annotations; "
            "they are listed in this log and in the job summary"
        )
    lines.append(summary_line(result))
    return "\n".join(lines)


CHECK_FORMATS: Formats[CheckReport] = Formats(
    {"text": report_text, "json": report_json, "github": report_github}, default="text"
)


def step_summary(result: CheckResult, title: str = "kamdocs check") -> str:
    """A Markdown summary for ``$GITHUB_STEP_SUMMARY``: counts and every finding."""
    out = [f"### {title}", "", summary_line(result), ""]
    if result.findings:
        out += ["| File | Line | Severity | Rule | Message |", "|---|---:|---|---|---|"]
        out += [
            f"| {markdown_cell(f.file)} | {f.line} | {f.severity.value} | {f.rule} | {markdown_cell(f.message)} |"
            for f in result.findings
        ]
        out.append("")
    return "\n".join(out) + "\n"
