"""Command line: parse arguments, call the library, turn user errors into exit status 1.

The one module that prints and chooses exit statuses: the library returns results
and raises ``ContentError``s, which are the user's to fix and print here as
``Error: path:line: message``. A worker process killed mid-build (for want of memory,
say) is reported in one line too; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from generator import parallel
from generator.errors import ContentError, ContentErrors, collect
from generator.text import counted

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_NOTHING_NEW = 3  # fetch: the day's digest is already stored (or the day is empty)


def print_errors(errors: Iterable[object], kind: str = "Error") -> None:
    """The one place user errors (and warnings) are written: one ``Error: path:line:
    message`` a line."""
    for error in errors:
        print(f"{kind}: {error}", file=sys.stderr)


def _print_error(exc: ContentError | ContentErrors) -> None:
    found: list[ContentError] = []
    collect(found, exc)
    print_errors(found)


def _say(message: str) -> None:
    print(message)


class Progress:
    """Stage lines on a terminal; silent in CI, in pipes and with --quiet."""

    def __init__(self, quiet: bool = False) -> None:
        self.enabled = not quiet and sys.stderr.isatty() and not os.environ.get("CI")
        self.started = time.perf_counter()

    def __call__(self, message: str) -> None:
        if self.enabled:
            print(f"[{time.perf_counter() - self.started:6.1f}s] {message}", file=sys.stderr, flush=True)


def _day(option: str, text: str | None) -> date | None:
    """An option's day; a bad one is a user error like any other (exit 1), not argparse's
    usage error (exit 2)."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ContentError(option, f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def _content_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        metavar="DIR",
        help="content folder with digests/, taxonomy.yml (default: content)",
    )


def _config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("mkdocs.yml"),
        metavar="FILE",
        help="MkDocs configuration: site name, URL, theme (default: mkdocs.yml)",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paper-archive",
        description="Turn daily research-paper digests into a browsable, searchable static site.",
        epilog="Example: paper-archive build --site-url https://me.github.io/papers/",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "build",
        help="build the site from the content folder",
        description="Render every page from content/ and build the site with MkDocs. "
        "On any error the previous site is left as it was.",
        epilog="Example: paper-archive build --site-dir public --site-url https://me.github.io/papers/",
    )
    _content_arg(p)
    _config_arg(p)
    p.add_argument(
        "--site-dir", type=Path, metavar="DIR", help="output folder (default: site_dir of mkdocs.yml, site/)"
    )
    p.add_argument(
        "--site-url", metavar="URL", help="public URL of the site (overrides site_url of mkdocs.yml)"
    )
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.add_argument(
        "--full",
        action="store_true",
        help="build every page again, carrying nothing over from the previous site",
    )

    p = sub.add_parser(
        "serve",
        help="preview the site, rebuilding when content or templates change",
        description="Build, serve the site on http://127.0.0.1:8000/ and rebuild whenever a "
        "digest, the taxonomy, a template or mkdocs.yml changes.",
        epilog="Example: paper-archive serve --port 8001",
    )
    _content_arg(p)
    _config_arg(p)
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")

    p = sub.add_parser(
        "check",
        help="validate the content without building, or (--site) a built site",
        description="Read every digest, the taxonomy and the permalink lock, and report "
        "every problem as path:line: message. With --site, check the site built from the "
        "content instead: every internal link resolves, every digest's day page and every "
        "locked paper page exists, the search index loads, the sizes fit GitHub Pages. "
        "Exit status 1 when there are errors.",
        epilog="Example: paper-archive check --json, or paper-archive check --site site",
    )
    _content_arg(p)
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--site", type=Path, metavar="DIR", help="check the site built in DIR")
    p.add_argument(
        "--site-url",
        metavar="URL",
        help="with --site: the site's public URL (default: the one its sitemap.xml gives)",
    )

    p = sub.add_parser(
        "add",
        help="validate a digest and store it under content/digests/",
        description="Validate a digest (JSON from the daily papers API or a text copy of the "
        "papers page) and store it as content/digests/YYYY-MM-DD.<ext>.",
        epilog="Example: paper-archive add ~/Downloads/papers.txt --date 2025-07-29",
    )
    p.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="the digest: the API's JSON for one day (any name), or a text copy of the papers page "
        "(any name but .json)",
    )
    p.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="the featured day (default: the file's YYYY-MM-DD name, else the day a JSON digest's "
        "items name); a JSON digest's items must agree with it",
    )
    _content_arg(p)

    p = sub.add_parser(
        "fetch",
        help="download a day's digest from the Hugging Face daily papers API",
        description="Download one day's list, validate it and store content/digests/DATE.json; with "
        "--missing, every day after the newest stored digest up to yesterday (UTC), so that days a "
        "scheduled run missed come back. A day the API lists no papers for is nothing new. "
        f"Exit status 0 when a new digest was written, {EXIT_NOTHING_NEW} when there was nothing "
        "new, 1 on error.",
        epilog="Example: paper-archive fetch --date 2025-12-31, or paper-archive fetch --missing",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument("--date", metavar="YYYY-MM-DD", help="the day to fetch (default: today in UTC)")
    which.add_argument(
        "--missing",
        action="store_true",
        help="fetch every day after the newest stored digest, oldest first",
    )
    p.add_argument(
        "--until",
        metavar="YYYY-MM-DD",
        help="with --missing: the last day to fetch (default: yesterday in UTC)",
    )
    p.add_argument(
        "--max-days",
        type=int,
        metavar="N",
        help="with --missing: fetch at most the last N days up to --until (default: 14)",
    )
    _content_arg(p)
    p.add_argument(
        "--api-url",
        default="https://huggingface.co/api/daily_papers",
        metavar="URL",
        help="endpoint (default: https://huggingface.co/api/daily_papers)",
    )
    p.add_argument("--force", action="store_true", help="replace a stored digest even by a shorter one")

    p = sub.add_parser(
        "explain",
        help="show why a paper has its tags",
        description="Print each tag of a paper and why: the tagger's probability, the taxonomy "
        "phrases found, the words that weighed most and the most similar labelled examples; "
        "then the likeliest tags it did not get.",
        epilog="Example: paper-archive explain 2505.01234",
    )
    p.add_argument("paper", metavar="PAPER", help="the paper's arXiv id, or its title")
    _content_arg(p)
    return parser


def cmd_build(args: argparse.Namespace) -> int:
    from generator.build import build
    from generator.config import load_settings

    settings = load_settings(args.config, site_url=args.site_url, site_dir=args.site_dir)
    print_errors(settings.warnings, "Warning")
    archive = build(settings, args.content, Progress(args.quiet), full=args.full)
    if not args.quiet:
        print(f"Built {len(archive.papers)} papers from {len(archive.days)} digests into {settings.site_dir}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from generator.serve import serve

    serve(args.config, args.content, _print_error, _say, args.port)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from generator.check import check_content, summary

    if args.site is not None:
        return check_built_site(args)
    if args.site_url is not None:
        raise ContentError("--site-url", "only makes sense with --site")
    report = check_content(args.content)
    status = EXIT_ERROR if report["errors"] else EXIT_OK
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
        return status
    print_errors(report["errors"])
    print_errors(report["warnings"], "Warning")
    for line in summary(report):
        print(line)
    return status


def check_built_site(args: argparse.Namespace) -> int:
    from generator.sitecheck import check_site

    report = check_site(args.site, args.content, args.site_url)
    if args.json:
        print(json.dumps({"pages": report.pages, "files": report.files, "bytes": report.size,
                          "errors": [str(e) for e in report.errors]}, indent=2, sort_keys=True))  # fmt: skip
        return EXIT_ERROR if report.errors else EXIT_OK
    print_errors(report.errors)
    size = f"{report.size / 1000**2:,.1f} MB"
    if report.errors:
        print(
            f"{args.site}: {counted(len(report.errors), 'problem')} in {counted(report.pages, 'page')} ({size})."
        )
        return EXIT_ERROR
    print(
        f"{args.site}: {counted(report.pages, 'page')}, {counted(report.files, 'file')}, {size}: no problems found."
    )
    return EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    from generator.add import add_digest

    target = add_digest(args.file, args.content, _day("--date", args.date))
    print(f"Added {target}")
    return EXIT_OK


def cmd_fetch(args: argparse.Namespace) -> int:
    from generator.fetch import MAX_MISSING_DAYS, fetch_day, fetch_missing

    args.date, args.until = _day("--date", args.date), _day("--until", args.until)
    if not args.missing:
        for option, value in (("--until", args.until), ("--max-days", args.max_days)):
            if value is not None:
                raise ContentError(option, "only makes sense with --missing")
        written = fetch_day(args.date, args.content, args.api_url, force=args.force, say=_say)
        return EXIT_OK if written else EXIT_NOTHING_NEW
    if args.force:
        raise ContentError(
            "--force", "only makes sense with --date: --missing never replaces a stored digest"
        )
    if args.max_days is not None and args.max_days < 1:
        raise ContentError("--max-days", f"must be 1 or more, not {args.max_days}")
    written = fetch_missing(
        args.content, args.api_url, args.until, args.max_days or MAX_MISSING_DAYS, say=_say
    )
    return EXIT_OK if written else EXIT_NOTHING_NEW


def cmd_explain(args: argparse.Namespace) -> int:
    from generator.content import read_content
    from generator.explain import explain_paper

    explanation = explain_paper(read_content(args.content), args.paper)
    print(f"{explanation.name}: {explanation.title}")
    print(f"tags: {', '.join(explanation.tags) or '(none)'}")
    for reason in explanation.reasons:
        verdict = "tagged" if reason.chosen else "not tagged"
        how = f"probability {reason.probability:.2f}" if reason.learned else "decided by its phrases alone"
        print(f"\n{reason.slug}: {verdict}, {how}")
        if reason.phrases:
            print("  phrases: " + "; ".join(f'"{phrase}" in the {place}' for place, phrase in reason.phrases))
        if reason.learned and reason.terms:
            print("  weighed most: " + ", ".join(f"{term} (+{push:.2f})" for term, push in reason.terms))
        if reason.nearest:
            print(
                "  nearest examples: "
                + "; ".join(f"{name} ({similarity:.2f})" for name, similarity in reason.nearest)
            )
    for slug in explanation.added:
        print(f"\n{slug}: added by {explanation.override}")
    for slug in explanation.removed:
        print(f"\n{slug}: removed by {explanation.override}")
    return EXIT_OK


COMMANDS = {
    "build": cmd_build,
    "serve": cmd_serve,
    "check": cmd_check,
    "add": cmd_add,
    "fetch": cmd_fetch,
    "explain": cmd_explain,
}


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (ContentError, ContentErrors) as e:
        _print_error(e)
        return EXIT_ERROR
    except parallel.WorkerLost as e:
        print_errors([f"{e}; the previous site is unchanged"])
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("Interrupted; the previous site is unchanged.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
