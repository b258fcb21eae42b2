"""The only orchestrator: read -> merge -> tag -> render -> write -> MkDocs -> swap.

Reading, merging and rendering are pure; the disk is touched only to stage the new
docs folder and site beside the old ones, and to swap them in once all succeeded.
Rendering runs on every core (forked workers, ``parallel.py``), and each worker
writes what it renders into the staged docs folder, so this process neither
receives nor holds the pages.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import shutil
import stat
import sys
import traceback
from calendar import timegm
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import jinja2
import rjsmin

from generator import carry, classifier, parallel, reuse, tagging
from generator.archive import build_archive, in_batches
from generator.bibtex import render_bib_files
from generator.config import Settings
from generator.content import Content, read_content
from generator.dataset import render_dataset
from generator.errors import ContentError, ContentErrors
from generator.feeds import render_feeds
from generator.katex import katex_assets
from generator.model import Archive, Paper, SourceRef, collector_paused
from generator.people import People, build_people
from generator.people_pages import render_people
from generator.permalinks import render_lock
from generator.popularity import render_upvote_ranks
from generator.render import Page, Renderer, paper_page, paper_pages, site_pages
from generator.search import BUNDLE_DIR, build_search_index, search_pages
from generator.search.vocabulary import VOCABULARY_DIR, count_words, render_vocabulary
from generator.urls import src_path
from generator.write import exclusive, recover_dir, staging_dir, swap_dir, write_files, write_text_atomic

ASSETS_DIR = Path(__file__).resolve().parent.parent / "site_templates" / "assets"
SHARED_SCRIPT = "common.js"  # what the other scripts share (window.paperArchive): first in site.js
MAX_PAGE_BYTES = 200 * 1024
MAX_SITE_BYTES = 1024**3


@dataclass(frozen=True, slots=True)
class Generated:
    archive: Archive
    people: People  # authors and organisations with a page, written after MkDocs (people_pages.py)
    files: dict[str, str | bytes]  # with a docs folder given to ``generate``: the static assets
    lock: dict[str, str]
    lock_changed: bool
    state: reuse.State | None = None  # what the next build may take from this one (reuse.py)


def paper_tagger(
    content: Content, tagger: reuse.ReusingTagger | None = None
) -> Callable[[Sequence[Paper]], list[tuple[str, ...]]]:
    """The tagger trained on the content's examples and overrides: papers -> their tags,
    overrides applied. ``tagger``: one that takes what it can from the previous build
    (``reusing_tagger``); without it, the model is trained here."""
    if tagger is None:
        model = classifier.train(content.taxonomy, tagger_examples(content))
        tags_of: Callable[[Sequence[reuse.PaperText]], list[tuple[str, ...]]] = partial(
            in_batches, model.tags_of
        )
    else:
        tags_of = tagger.tags_of

    def tag_papers(papers: Sequence[Paper]) -> list[tuple[str, ...]]:
        tags = tags_of([(p.title, p.abstract, p.ai_keywords) for p in papers])
        return [
            tagging.apply_overrides(t, tagging.override_for(content.overrides, p.arxiv_id, p.title))
            for p, t in zip(papers, tags, strict=True)
        ]

    return tag_papers


def tagger_examples(content: Content) -> tuple[classifier.Example, ...]:
    return classifier.examples_with_overrides(content.examples, content.digests, content.overrides)


def reusing_tagger(content: Content, build_key: str, previous: reuse.State | None) -> reuse.ReusingTagger:
    """The tagger of ``paper_tagger``, trained only if the previous build's model and tags
    do not serve (``reuse.py``)."""
    examples = tagger_examples(content)
    key = reuse.tagger_key(build_key, content.taxonomy, examples)
    return reuse.ReusingTagger(key, lambda: classifier.train(content.taxonomy, examples), previous)


def merge_content(
    content: Content, tagger: reuse.ReusingTagger | None = None
) -> tuple[Archive, dict[str, str]]:
    """Content -> archive with tags and permanent URIs, plus the grown lock."""
    return build_archive(content.digests, content.lock, content.taxonomy, paper_tagger(content, tagger))


def static_assets() -> dict[str, str | bytes]:
    """Our styles and scripts as one ``site.css`` and one minified ``site.js`` (one link
    each on every page, fewer bytes and requests), other assets as they are, and KaTeX
    from its pinned PyPI wheel (generator/katex.py)."""
    assets: dict[str, str | bytes] = {}
    bundles: dict[str, list[bytes]] = {".css": [], ".js": []}
    for path in sorted(ASSETS_DIR.rglob("*"), key=lambda path: (path.name != SHARED_SCRIPT, path)):
        if not path.is_file():
            continue
        if path.parent == ASSETS_DIR and path.suffix in bundles:
            text = path.read_bytes()
            if path.suffix == ".js":  # comments and white space, nothing renamed: 40% smaller
                text = rjsmin.jsmin(text)
            bundles[path.suffix].append(f"/* {path.name} */\n".encode() + text)
        else:
            assets[f"assets/{path.relative_to(ASSETS_DIR).as_posix()}"] = path.read_bytes()
    for suffix, parts in bundles.items():
        assets[f"assets/site{suffix}"] = b"\n".join(parts)
    return assets | katex_assets()


def template_error(error: jinja2.TemplateError) -> ContentErrors:
    """A template's mistake as ``template:line: message`` (templates are the user's to edit)."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        return ContentErrors(
            [ContentError(SourceRef(Path(error.filename), error.lineno), error.message or "")]
        )
    place: SourceRef | str = "site_templates"
    for frame, line in traceback.walk_tb(error.__traceback__):  # Jinja maps frames to template lines
        name = frame.f_code.co_filename
        if name.endswith((".j2", ".html")):
            place = SourceRef(Path(name), line)
    return ContentErrors([ContentError(place, f"template error: {error}")])


# Everything in the docs folder that is not a page, by part: each is one worker's job.
OUTPUTS: dict[str, Callable[[Renderer], dict[str, str] | dict[str, bytes]]] = {
    "redirects": lambda renderer: renderer.render_redirects(),
    "feeds": lambda renderer: render_feeds(renderer.archive, renderer.settings),
    "dataset": lambda renderer: render_dataset(renderer.archive, renderer.settings),
    "bibtex": lambda renderer: render_bib_files(renderer.archive, renderer.settings, renderer.bibliography),
    "upvotes": lambda renderer: render_upvote_ranks(renderer.archive),
}
PAGES_PER_WORKER = 1_000  # below this, starting processes costs more than it saves


def render_docs(archive: Archive, settings: Settings, people: People | None = None) -> dict[str, str | bytes]:
    """The generated docs folder but its static assets, in memory and in this process:
    pages as UTF-8 bytes, as they are written."""
    renderer = Renderer(archive, settings, people=people)
    pages = site_pages(archive, settings)
    related = find_related(archive.papers)
    by_uri = renderer.papers
    pages += paper_pages(archive.papers, (related[p.uri] for p in archive.papers), by_uri)
    files: dict[str, str | bytes] = {path: text.encode() for path, text in renderer.render_each(pages)}
    for render_part in OUTPUTS.values():
        files.update(render_part(renderer))
    return files


@dataclass(frozen=True, slots=True)
class PageReuse:
    """Paper pages a build may take from the previous docs folder (``reuse.py``)."""

    build_key: str
    previous: reuse.State | None
    old_docs: Path
    digests: dict[str, str]  # every paper's ``reuse.paper_digests``

    def key_of(self, renderer: Renderer, paper: Paper, related: Sequence[str]) -> str:
        people = renderer.people
        links = [people.author_uri(name) for name in paper.authors]
        links.append(people.org_uri(paper.organization) if paper.organization else None)
        tags = [renderer.tags[slug] for slug in paper.tags if slug in renderer.tags]
        return reuse.page_key(
            self.build_key, paper, related, self.digests, links, renderer.bibliography.key(paper), tags
        )


PageRecords = dict[str, tuple[str, str]]  # paper page src -> (its key, hash of its Markdown)


def write_docs(
    archive: Archive,
    settings: Settings,
    docs_dir: Path,
    people: People | None = None,
    reusing: PageReuse | None = None,
) -> PageRecords:
    """The same files as ``render_docs``, written under ``docs_dir`` by the processes that
    render them: at 50,000 papers, sending 600 MB of files back from the render workers
    and writing them in this process took it 2 to 4 s, and raised its peak from 373 MB to
    1,094 MB. Where forking does not pay (a small site) or is unsafe (other threads),
    one process renders and writes it all. With ``reusing``, paper pages made from the
    same inputs as in the previous build are linked from it instead of rendered; returns
    every paper page's key and Markdown hash (none without ``reusing``)."""
    pages = site_pages(archive, settings)
    renderer = Renderer(archive, settings, people=people)
    workers = parallel.fork_workers(len(pages) + len(archive.papers), PAGES_PER_WORKER)
    if workers > 1:
        return write_docs_forked(renderer, pages, docs_dir, workers, reusing)
    write_files(docs_dir, renderer.render_each(pages))
    for render_part in OUTPUTS.values():
        write_files(docs_dir, render_part(renderer))
    related = find_related(archive.papers)
    return write_paper_pages(
        renderer, archive.papers, [related[p.uri] for p in archive.papers], docs_dir, reusing
    )


def write_paper_pages(
    renderer: Renderer,
    papers: Sequence[Paper],
    related: Sequence[tuple[str, ...]],
    docs_dir: Path,
    reusing: PageReuse | None,
) -> PageRecords:
    """The pages of ``papers`` (``related``: their related URIs, in order) into ``docs_dir``:
    linked from the previous build where ``reusing`` allows, rendered otherwise."""
    records: PageRecords = {}
    rendered: list[tuple[str, str]] = []
    for paper, uris in zip(papers, related, strict=True):
        src = src_path(paper.uri)
        key, markdown = "", None
        if reusing is not None:
            key = reusing.key_of(renderer, paper, uris)
            markdown = reuse.reuse_page(reusing.previous, reusing.old_docs, docs_dir, src, key)
        if markdown is None:
            text = renderer.render(paper_page(paper, [renderer.papers[u] for u in uris]))
            rendered.append((src, text))
            markdown = reuse.text_hash(text) if reusing is not None else None
        if markdown is not None:  # with reusing only
            records[src] = (key, markdown)
        if len(rendered) >= 256:  # written as they come: the pages are not all held at once
            write_files(docs_dir, rendered)
            rendered.clear()
    write_files(docs_dir, rendered)
    return records


def write_docs_forked(
    renderer: Renderer, pages: list[Page], docs_dir: Path, workers: int, reusing: PageReuse | None = None
) -> PageRecords:
    """``write_docs`` on ``workers`` forked processes, ``pages`` being the ``site_pages``.

    Only paper pages wait for related papers. So one worker finds those while the others
    render and write the site's own pages, then feeds, data and BibTeX; then every worker
    renders and writes its share of the paper pages. This process only hands out the
    work: as a third process on two cores it slowed the finding of related papers, which
    at 50,000 papers is the longest job (9 s). Forked workers inherit the renderer and
    the archive: nothing but related URIs is pickled on the way in, and nothing comes
    back but errors. Each share is every n-th page, so paper, day and tag pages spread
    evenly.
    """
    papers = renderer.archive.papers
    site_shares = 2 * workers  # smaller shares, for the workers that do not find related papers
    records: PageRecords = {}
    with parallel.forked_pool(workers, _Job(renderer, pages, docs_dir, reusing)) as pool:
        finding = pool.submit(_find_related)
        writing = [pool.submit(_write_site_pages, i, site_shares) for i in range(site_shares)]
        writing += [pool.submit(_write_output, part) for part in OUTPUTS]
        related = finding.result()
        paper_jobs = [(i, workers, [related[p.uri] for p in papers[i::workers]]) for i in range(workers)]
        paper_writing = [pool.submit(_write_paper_pages, *job) for job in paper_jobs]
        for done in writing:
            done.result()  # a worker's error is raised here
        for written in paper_writing:
            records.update(written.result())
    return records


@dataclass(frozen=True, slots=True)
class _Job:
    """What the forked render workers inherit."""

    renderer: Renderer
    pages: list[Page]
    docs_dir: Path
    reusing: PageReuse | None


def find_related(papers: Sequence[Paper]) -> dict[str, tuple[str, ...]]:
    """``related.build_related``, imported here: scikit-learn takes 2 s of CPU to import,
    and check, add and fetch, which import this module, never need it."""
    from generator.related import build_related

    return build_related(papers)


def _find_related() -> dict[str, tuple[str, ...]]:
    job: _Job = parallel.inherited()
    return find_related(job.renderer.archive.papers)


def _write_site_pages(start: int, step: int) -> None:
    job: _Job = parallel.inherited()
    with _located_template_errors():
        write_files(job.docs_dir, job.renderer.render_each(job.pages[start::step]))


def _write_output(part: str) -> None:
    job: _Job = parallel.inherited()
    with _located_template_errors():  # the redirect pages are a template too
        write_files(job.docs_dir, OUTPUTS[part](job.renderer))


def _write_paper_pages(start: int, step: int, related: list[tuple[str, ...]]) -> PageRecords:
    job: _Job = parallel.inherited()
    renderer = job.renderer
    with _located_template_errors():
        return write_paper_pages(
            renderer, renderer.archive.papers[start::step], related, job.docs_dir, job.reusing
        )


@contextmanager
def _located_template_errors() -> Iterator[None]:
    """In a worker: a template's mistake as a located error, since the traceback that
    ``template_error`` reads its line from does not cross back to the build process."""
    try:
        yield
    except jinja2.TemplateError as e:
        raise template_error(e) from None


def generate(
    settings: Settings,
    content_dir: Path,
    docs_dir: Path | None = None,
    build_key: str | None = None,
    previous: reuse.State | None = None,
    static: dict[str, str | bytes] | None = None,
) -> Generated:
    """Content -> every file of the docs folder, in memory; or, given ``docs_dir``, all
    but the static assets written there already, by the render workers (``write_docs``).

    Given ``docs_dir`` and the ``build_key`` (``carry.build_key``), what the ``previous``
    build's state allows is taken from it (the tagger, tags, paper pages: ``reuse.py``),
    and ``Generated.state`` is this build's, for the next one. ``static``: the static
    assets, if the caller has them already (``static_assets``)."""
    key = build_key if docs_dir is not None else None  # the state goes into the docs folder
    read = reuse.read_digests(previous, key) if key is not None else None
    content = read_content(content_dir, read)
    tagger = reusing_tagger(content, key, previous) if key is not None else None
    archive, lock = merge_content(content, tagger)
    people = build_people(archive, settings.author_pages_from)
    files: dict[str, str | bytes] = {}
    state = None
    try:
        if docs_dir is None:
            files.update(render_docs(archive, settings, people))
        elif key is None or tagger is None or read is None:
            write_docs(archive, settings, docs_dir, people)
        else:
            reusing = PageReuse(key, previous, settings.docs_dir, reuse.paper_digests(archive.papers))
            pages = write_docs(archive, settings, docs_dir, people, reusing)
            kept = {str(d.path): read[str(d.path)] for d in content.digests}  # files gone are forgotten
            state = reuse.State(key, tagger.key, tagger.model, tagger.used, pages, kept)
    except jinja2.TemplateError as e:
        raise template_error(e) from None
    files.update(static if static is not None else static_assets())
    return Generated(archive, people, files, lock, lock != content.lock, state)


def write_people(site_dir: Path, people: People, settings: Settings) -> None:
    """The authors' and organisations' pages and feeds, straight into the built site:
    tens of thousands of small files that MkDocs would only copy."""
    write_files(site_dir, render_people(people, settings))


def pin_build_time(archive: Archive) -> None:
    """Dates MkDocs writes (sitemap, gzip headers) follow the content, not the clock."""
    if "SOURCE_DATE_EPOCH" not in os.environ and archive.days:
        os.environ["SOURCE_DATE_EPOCH"] = str(timegm(max(archive.days).timetuple()))


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build may leave navigation stale, which strict mode
    would fail on; here only pages whose inputs are unchanged are skipped (carry.py)."""
    return "'dirty' build" not in str(record.msg)


def run_mkdocs(settings: Settings, docs_dir: Path, site_dir: Path, carried: bool = False) -> None:
    """MkDocs' build of ``docs_dir`` into ``site_dir``; ``carried``: some pages' HTML is
    in ``site_dir`` already (``carry.RUN``), and MkDocs skips them."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    if not logging.getLogger("mkdocs").handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("MkDocs %(levelname)s: %(message)s"))
        logging.getLogger("mkdocs").addHandler(handler)
    try:
        config = load_config(
            str(settings.config_path),
            docs_dir=str(docs_dir),
            site_dir=str(site_dir),
            site_url=settings.site_url,
            strict=True,
        )
        build_log = logging.getLogger("mkdocs.commands.build")
        build_log.addFilter(_not_dirty_warning)
        try:
            with collector_paused():  # 50,000 papers: 15.6 s of CPU, not 16.4 (medians of 3); 40 MB more
                mkdocs_build(config, dirty=carried)
        finally:
            build_log.removeFilter(_not_dirty_warning)
    except (Abort, ConfigurationError) as e:
        raise ContentErrors([ContentError(SourceRef(settings.config_path), f"MkDocs failed: {e}")]) from None
    except jinja2.TemplateError as e:  # a theme override in site_templates/overrides
        raise template_error(e) from None


def index_for_search(
    site_dir: Path, papers: Sequence[Paper], reuse: Callable[[int, Sequence[str]], bool] | None = None
) -> list[Sequence[str]]:
    """The search index of the built site, once the memory MkDocs freed is handed back
    to the system: glibc keeps freed heap pages for reuse, and this process and Pagefind's
    count at once. At 10,000 papers the build drops from 380 to 217 MB, and the build
    with Pagefind from 1,050 to 921 MB (``python -m bench.site``)."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)  # the C library this process runs on
    except (OSError, AttributeError):
        pass  # not glibc (macOS, musl): its allocator does its own returning
    # An archive without papers still gets an index, of its home page (which says there
    # are no digests yet): Pagefind refuses to index nothing, and search.js loads an index.
    shards = build_search_index(site_dir, search_pages(papers) or ["index.html"], reuse=reuse)
    vocabulary_dir = site_dir / BUNDLE_DIR / VOCABULARY_DIR
    shutil.rmtree(vocabulary_dir, ignore_errors=True)  # a letter no word starts with any more
    vocabulary_dir.mkdir(parents=True)
    for name, data in render_vocabulary(count_words(papers)).items():
        (vocabulary_dir / name).write_bytes(data)
    return shards


def check_sizes(site_dir: Path, max_page: int = MAX_PAGE_BYTES, max_site: int = MAX_SITE_BYTES) -> None:
    """Guardrails: a page over 200 KB or a site over GitHub Pages' 1 GB fails the build."""
    errors, total = [], 0
    for rel, size in sorted(_file_sizes(site_dir)):
        total += size
        if rel.endswith(".html") and size > max_page:
            errors.append(
                ContentError(
                    rel,
                    f"page is {size / 1024:.0f} KB, over the {max_page / 1024:.0f} KB limit for one page: "
                    "lower extra.archive.tags_per_page in mkdocs.yml, or split the digest",
                )
            )
    if total > max_site:
        errors.append(
            ContentError(
                str(site_dir),
                f"site is {total:,} bytes, over GitHub Pages' limit of {max_site:,} bytes (1 GB): "
                "publish less (fewer years of digests) or host it elsewhere",
            )
        )
    if errors:
        raise ContentErrors(errors)


def _file_sizes(root: Path) -> Iterator[tuple[str, int]]:
    """(path relative to ``root`` with ``/``, bytes) of every file under it. os.walk, not
    Path.rglob: a Path and a stat call less per file, half the time on 116,000 files."""
    for folder, _dirs, names in os.walk(root):
        prefix = os.path.relpath(folder, root).replace(os.sep, "/") + "/"
        for name in names:
            try:
                info = os.stat(os.path.join(folder, name))  # a link counts as what it points to
            except FileNotFoundError:  # a dangling link
                continue
            if stat.S_ISREG(info.st_mode):
                yield (prefix + name).removeprefix("./"), info.st_size


def _silent(message: str) -> None:
    pass


def run_mkdocs_carrying(
    settings: Settings, docs_new: Path, site_new: Path, key: str, full: bool, markdown: dict[str, str]
) -> tuple[carry.Manifest | None, carry.Manifest]:
    """MkDocs over the staged docs, the pages whose inputs are unchanged carried over from
    the previous site (``carry.py``; none with ``full``); ``key``: ``carry.build_key``;
    ``markdown``: the docs files whose hashes generation knows. Returns the previous
    build's manifest and this one's (without its search shards yet)."""
    previous = None if full else carry.read_manifest(settings.docs_dir)
    run = carry.carry_pages(previous, key, docs_new, settings.site_dir, site_new, markdown)
    carry.RUN = run
    try:
        run_mkdocs(settings, docs_new, site_new, carried=bool(run.carried))
    finally:
        carry.RUN = None
    return previous, carry.built_manifest(previous, key, run, docs_new, site_new, markdown)


def build(
    settings: Settings, content_dir: Path, progress: Callable[[str], None] = _silent, full: bool = False
) -> Archive:
    """Build the whole site; on any error the previous docs folder and site stay as they were.
    ``progress`` is told each stage as it starts. Pages whose inputs did not change are
    carried over from the previous site (``carry.py``), unless ``full``. One build at a
    time writes a site (and its docs folder): a second one is refused, naming the first
    one's process."""
    with exclusive(settings.site_dir), exclusive(settings.docs_dir):
        return _build(settings, content_dir, progress, full)


def _build(settings: Settings, content_dir: Path, progress: Callable[[str], None], full: bool) -> Archive:
    recover_dir(settings.docs_dir)
    recover_dir(settings.site_dir)
    docs_new = staging_dir(settings.docs_dir)
    site_new = staging_dir(settings.site_dir)
    try:
        static = static_assets()
        key = carry.build_key(settings.config_path, settings.site_url, static)
        state = None if full else reuse.read_state(settings.docs_dir)
        generated = generate(settings, content_dir, docs_new, key, state, static)
        progress(f"Rendered the site's pages for {len(generated.archive.papers):,} papers")
        pin_build_time(generated.archive)
        write_files(docs_new, generated.files)
        if generated.state is not None:
            reuse.write_state(docs_new, generated.state)
        progress("Running MkDocs")
        markdown = {src: md for src, (_, md) in generated.state.pages.items()} if generated.state else {}
        previous, manifest = run_mkdocs_carrying(settings, docs_new, site_new, key, full, markdown)
        progress("Writing the pages of authors and organisations")
        write_people(site_new, generated.people, settings)
        progress("Indexing paper pages for search")
        shards = carry.ShardCarrier(previous, manifest, settings.site_dir, site_new)
        shard_pages = index_for_search(site_new, generated.archive.papers, shards.reuse)
        carry.write_manifest(docs_new, shards.record(shard_pages))
        progress("Checking page and site sizes")
        check_sizes(site_new)
    except BaseException:
        shutil.rmtree(docs_new, ignore_errors=True)
        shutil.rmtree(site_new, ignore_errors=True)
        raise
    if generated.lock_changed:
        write_text_atomic(content_dir / "permalinks.lock", render_lock(generated.lock))
    swap_dir(docs_new, settings.docs_dir)
    swap_dir(site_new, settings.site_dir)
    progress(f"Site written to {settings.site_dir}")
    return generated.archive
