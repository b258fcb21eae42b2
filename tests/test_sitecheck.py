"""``paper-archive check --site``: the built site is whole, or each problem is named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.sitecheck import MAX_FILE_BYTES, check_sizes, link_target, page_links

SITE_URL = "https://me.github.io/papers/"


def test_page_links_reads_tags_not_text_or_scripts():
    html = (
        "<a href=../x/ class=a>see href=nowhere</a><img src=\"a b.png\"><link href='c.css' rel=x>"
        "<script src=s.js>var u = ' src=inline.js';</script><p title=\"a > b\" data-x=1>t</p>"
        "<title>A <img src=x onerror=alert(1)> title</title><style>a{b:url(c)}</style>"
        '<meta content="An <img src=y> abstract" name=description><a\nHREF=d/>'
        '<a href="?q=1&amp;r=2">'
    )
    assert list(page_links(html)) == ["../x/", "a b.png", "c.css", "s.js", "d/", "?q=1&r=2"]


@pytest.mark.parametrize(
    ("page", "link", "target"),
    [
        ("papers/x/index.html", "../../assets/site.css", "assets/site.css"),
        ("papers/x/index.html", "../y/", "papers/y/"),
        ("papers/x/index.html", "../..", ""),
        ("index.html", ".", ""),
        ("index.html", "latest/#top", "latest/"),
        ("404.html", "/papers/assets/site.css", "assets/site.css"),
        ("404.html", "/elsewhere/a.css", "../elsewhere/a.css"),
        ("index.html", "../../etc/passwd", "../../etc/passwd"),
        ("index.html", SITE_URL + "tags/", "tags/"),
        ("index.html", "https://arxiv.org/abs/1", None),
        ("index.html", "//cdn.example/x.js", None),
        ("index.html", "mailto:a@b", None),
        ("index.html", "#main", None),
        ("index.html", "data:image/png;base64,AA", None),
    ],
)
def test_link_target(page: str, link: str, target: str | None):
    assert link_target(page, link, SITE_URL) == target


def test_sizes_within_github_pages_limits():
    assert check_sizes([("a.html", 10), ("b.bin", MAX_FILE_BYTES)], Path("site")) == []
    [error] = check_sizes([("big.bin", MAX_FILE_BYTES + 1)], Path("site"))
    assert (
        str(error) == "big.bin: 100,000,001 bytes, over GitHub Pages' limit of 100,000,000 bytes for one file"
    )
    [error] = check_sizes([(f"{n}.bin", 99_000_000) for n in range(11)], Path("site"))
    assert str(error) == "site: the site is 1,089,000,000 bytes, over GitHub Pages' 1,000,000,000 (1 GB)"


def test_check_site_of_a_folder_that_is_no_site(tmp_path: Path, capsys):
    assert main(["check", "--site", str(tmp_path), "--content", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert err == f"Error: {tmp_path}: no index.html: not a built site (run paper-archive build first)\n"


def test_site_url_needs_site(capsys):
    assert main(["check", "--site-url", SITE_URL]) == 1
    assert capsys.readouterr().err == "Error: --site-url: only makes sense with --site\n"


@pytest.mark.slow
def test_the_sample_site_passes(sample_site: Path, capsys):
    content = sample_site.parent / "content"
    assert main(["check", "--site", str(sample_site), "--content", str(content)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith(f"{sample_site}: ") and out.endswith(" MB: no problems found.\n")


@pytest.mark.slow
def test_every_kind_of_breakage_is_named(sample_site: Path, tmp_path: Path, capsys):
    site = tmp_path / "site"
    shutil.copytree(sample_site, site)
    content = sample_site.parent / "content"
    shutil.rmtree(site / "papers" / "2506.17450")
    shutil.rmtree(site / "archive" / "2025" / "12" / "31")
    fragment = sorted((site / "pagefind" / "fragment").iterdir())[0]
    fragment.unlink()
    (site / "pagefind" / "pagefind.js").unlink()
    about = site / "about" / "index.html"
    about.write_text(about.read_text(encoding="utf-8") + '<a href="../nowhere/">x</a>', encoding="utf-8")

    assert main(["check", "--site", str(site), "--content", str(content)]) == 1
    out, err = capsys.readouterr()
    errors = err.splitlines()
    assert "Error: about/index.html: link ../nowhere/ leads to no file of the site (nowhere/)" in errors
    assert (
        f"Error: archive/2025/12/31/: the day page of {content}/digests/2025-12-31.json is missing" in errors
    )
    assert (
        "Error: papers/2506.17450/: the page of arxiv:2506.17450 is missing "
        f"(listed in {content}/permalinks.lock)" in errors
    )
    assert "Error: pagefind/pagefind.js: missing: the search index does not load without it" in errors
    [missing_fragment] = [e for e in errors if e.startswith(f"Error: pagefind/fragment/{fragment.name}: ")]
    assert missing_fragment.startswith(
        f"Error: pagefind/fragment/{fragment.name}: missing, named by pagefind/pagefind.en_"
    )
    # pages linking to the removed paper and day page are named too
    assert any("leads to no file of the site (papers/2506.17450/)" in e for e in errors)
    assert out.startswith(f"{site}: ") and " problems in " in out

    (site / "pagefind" / "pagefind-entry.json").write_text("{", encoding="utf-8")
    assert main(["check", "--site", str(site), "--content", str(content), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert any(
        e.startswith("pagefind/pagefind-entry.json: the search index does not load: cannot read")
        for e in report["errors"]
    )
