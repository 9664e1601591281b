"""Rebuild ``frontmatter.schema.json`` from a Front Matter CMS release, as its website does.

Front Matter publishes https://frontmatter.codes/frontmatter.schema.json; its website
(github.com/FrontMatter/web-documentation-nextjs, scripts/generate-schema.js) makes it at
each build from the extension's ``package.json`` and ``package.nls.json``: every
``%key%`` replaced by its English text (quotes escaped), then ``contributes.configuration``
wrapped in a draft-07 schema object. This does the same for a tagged release, so the
vendored file is the schema of the version named in README.md, not of whatever day the
site was last built.

Usage: python build_schema.py package.json package.nls.json LAST_MODIFIED > frontmatter.schema.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def build(package_text: str, nls: dict[str, str], last_modified: str) -> dict[str, object]:
    for key, text in nls.items():
        package_text = re.sub(f"%{re.escape(key)}%", lambda _m, t=text: t.replace('"', '\\"'), package_text)
    configuration = json.loads(package_text)["contributes"]["configuration"]
    return {
        "$schema": "http://json-schema.org/draft-07/schema",
        "$id": "https://frontmatter.codes/frontmatter.schema.json",
        "description": "Defines the settings for Front Matter",
        "lastModified": last_modified,
        "type": "object",
        **configuration,
        "title": "Front Matter - Team Settings",
    }


if __name__ == "__main__":
    package, nls_file, stamp = sys.argv[1:4]
    nls = json.loads(Path(nls_file).read_text(encoding="utf-8"))
    schema = build(Path(package).read_text(encoding="utf-8"), nls, stamp)
    sys.stdout.write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
