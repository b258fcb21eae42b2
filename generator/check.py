"""``paper-archive check``: validate the content folder without building.

Reads and merges everything the build does and reports counts and every problem.
With ``--json`` exactly one JSON object goes to stdout, for scripts and CI.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from generator.build import merge_content
from generator.content import load_content
from generator.errors import ContentError, ContentErrors, collect


def check_content(root: Path) -> dict:
    """Counts and errors for the content folder; user errors are reported, not raised."""
    content, errors = load_content(root)
    papers = untagged = 0
    if not errors:
        try:
            archive, _ = merge_content(content)
            papers = len(archive.papers)
            untagged = sum(1 for p in archive.papers if not p.tags)
        except (ContentError, ContentErrors) as e:
            collect(errors, e)
    digests = sorted(content.digests, key=lambda d: d.day)
    return {
        "digests": len(digests),
        "papers": papers,
        "featured": sum(len(d.records) for d in digests),
        "untagged": untagged,
        "tags": len(content.taxonomy),
        "errors": [str(e) for e in errors],
        "per_digest": {d.day.isoformat(): {"papers": len(d.records), "format": d.format} for d in digests},
    }


def run_check(root: Path, as_json: bool = False) -> int:
    report = check_content(root)
    if as_json:
        print(json.dumps(report, indent=2, sort_keys=True))
        return 1 if report["errors"] else 0
    for error in report["errors"]:
        print(f"Error: {error}", file=sys.stderr)
    print(
        f"{report['digests']} digests, {report['papers']} papers ({report['featured']} featured "
        f"entries), {report['untagged']} without a tag, {report['tags']} tags."
    )
    if not report["errors"]:
        print("No problems found.")
    return 1 if report["errors"] else 0
