"""``paper-archive check``: validate the content folder without building.

Reads and merges everything the build does; returns counts and every problem as a
report (``check_content``), which the command line prints, or with ``--json`` dumps
as exactly one JSON object on stdout, for scripts and CI.
"""

from __future__ import annotations

from pathlib import Path

from generator.build import merge_content
from generator.content import load_content
from generator.errors import ContentError, ContentErrors, collect
from generator.text import counted


def check_content(root: Path) -> dict:
    """Counts, errors and warnings (fields a reader left out) for the content folder; user
    errors are reported, not raised.
    ``papers`` and ``untagged`` are None when errors kept the content from merging."""
    content, errors = load_content(root)
    papers = untagged = None  # not known until the content merges, which errors prevent
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
        "warnings": [str(note) for d in digests for note in d.notes],
        "per_digest": {d.day.isoformat(): {"papers": len(d.records), "format": d.format} for d in digests},
    }


def summary(report: dict) -> list[str]:
    """What ``check`` says after the errors: what was read and, without errors, merged."""
    read = f"{counted(report['digests'], 'digest')} ({counted(report['featured'], 'featured entry', 'featured entries')})"
    if report["errors"]:
        return [
            f"{read} and {counted(report['tags'], 'tag')} read; "
            f"{counted(len(report['errors']), 'problem')} to fix before the papers can be merged and counted."
        ]
    left_out = report["warnings"]
    return [
        f"{read}: {counted(report['papers'], 'paper')}, {report['untagged']:,} without a tag; {counted(report['tags'], 'tag')}.",
        f"No problems found; {counted(len(left_out), 'field')} left out (warnings above)."
        if left_out
        else "No problems found.",
    ]
