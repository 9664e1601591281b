"""Every grid's rows of a built page, wherever the build put them: in the page, or in the page's rows file.

Read independently of kamdocs' code: the script elements found with a pattern, and the file a
moved block names opened next to the page, as a browser resolves the name against the page's URL.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import yaml

BLOCK = re.compile(r'<script type="application/json" class="kd-grid-data"([^>]*)>(.*?)</script>', re.S)


def grid_rows(page: Path, text: str | None = None) -> list[list]:
    """The rows of each grid of the page at ``page`` (``text``: its HTML, when already read), in page order."""
    text = page.read_text(encoding="utf-8") if text is None else text
    out = []
    for attrs, block in BLOCK.findall(text):
        moved = re.search(r'data-kd-rows="([^"]+)" data-kd-part="(\d+)"', attrs)
        if moved is None:
            out.append(json.loads(block))
            continue
        assert block == ""
        name = html_lib.unescape(moved[1])
        assert "/" not in name  # next to the page
        out.append(json.loads((page.parent / name).read_text(encoding="utf-8"))[int(moved[2])])
    return out


def front_matters(plans: Path) -> list[dict]:
    """Every plan's front matter in the folder ``plans``, read straight from its file with PyYAML, in name order."""
    return [yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1]) for p in sorted(plans.glob("*.md"))]
