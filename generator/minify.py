"""HTML pages minified and written by worker processes while MkDocs renders the next ones.

Minifying is a third of MkDocs' time on a large archive (0.3-0.5 ms a page, native
code that holds the GIL), and MkDocs renders pages one at a time on one core. So the
MkDocs hook hands the rendered pages, in batches, to ``python -m generator.minify``
processes, which minify and write them on the cores MkDocs leaves free. They are plain
subprocesses fed through a pipe: no copy of the build's memory (as a fork would
make), nothing that depends on how the build's own script was started (as
multiprocessing's spawn does), and a full pipe holds MkDocs back, so pages waiting to
be written never pile up in memory. A machine with one core, or a site too small to
repay starting processes, minifies in the build process: the bytes are the same.
"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import traceback
from pathlib import Path
from typing import BinaryIO

import minify_html

from generator import parallel
from generator.errors import ContentError
from generator.model import SourceRef

POOL_PAGES = 2_000  # fewer pages than this: starting processes costs more than it saves
BATCH_PAGES = 32  # pages a message: fewer, larger writes to the pipe
_LENGTH = 8  # bytes of a message's length, before it
_CANNOT_WRITE = "cannot write\t"  # a worker's last words when the disk refused a page: then path, reason


def minify(html: str) -> str:
    return minify_html.minify(
        html,
        minify_css=True,
        minify_js=True,
        # Keep end tags: Pagefind reads a page as a stream, and a data-pagefind-ignore <p>
        # without its </p> would hide the rest of the article (the abstract) from search.
        keep_closing_tags=True,
        keep_html_and_head_opening_tags=True,
    )


def write_page(path: str, html: str) -> None:
    """Minify ``html`` into ``path`` as MkDocs writes a page (UTF-8, unencodable
    characters as references, parent folders made)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as file:
        file.write(minify(html).encode("utf-8", errors="xmlcharrefreplace"))


def pool_workers(pages: int) -> int:
    """Worker processes for a site of ``pages`` pages: 0 means minify in the build itself."""
    if pages < POOL_PAGES:
        return 0
    cores = parallel.cores()
    # As many workers as cores, MkDocs besides: a worker waits while MkDocs renders, and
    # MkDocs waits when the workers fall behind. On 2 cores, 2 workers took MkDocs 7.8 s
    # on 10,000 papers where 1 took 9.1 s.
    return cores if cores > 1 else 0


class PageWriter:
    """Pages handed in batches to ``workers`` processes, in turn, to minify and write."""

    def __init__(self, workers: int) -> None:
        self._workers = [
            subprocess.Popen(
                [sys.executable, "-m", "generator.minify"],
                stdin=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(workers)
        ]
        self._batch: list[tuple[str, str]] = []
        self._sent = 0

    def write(self, path: str, html: str) -> None:
        self._batch.append((path, html))
        if len(self._batch) == BATCH_PAGES:
            self._send()

    def _send(self) -> None:
        worker = self._workers[self._sent % len(self._workers)]
        message = marshal.dumps(self._batch)
        self._batch = []
        self._sent += 1
        try:
            assert worker.stdin is not None
            worker.stdin.write(len(message).to_bytes(_LENGTH, "little") + message)
            worker.stdin.flush()  # the whole message now: the worker waits for all of it
        except BrokenPipeError:
            self.finish()  # the worker died: finish() says why

    def finish(self) -> None:
        """Wait until every page is written; a worker's failure is raised here: a page it
        could not write as a ``ContentError`` naming the page, anything else (a bug) as
        the worker's exception."""
        if self._batch:
            self._send()
        errors = []
        for worker in self._workers:
            assert worker.stdin is not None and worker.stderr is not None
            try:
                worker.stdin.close()
            except BrokenPipeError:
                pass
            message = worker.stderr.read().decode("utf-8", "replace").strip()
            if worker.wait() < 0 and not message:
                raise parallel.WorkerLost(f"a minify worker (signal {-worker.returncode})")
            if worker.returncode != 0:
                errors.append(message or f"exit status {worker.returncode}")
        for error in errors:
            if error.startswith(_CANNOT_WRITE):
                _, path, reason = error.split("\t", 2)
                raise ContentError(SourceRef(Path(path)), f"cannot write the page: {reason}")
        if errors:
            raise RuntimeError(f"minifying pages failed: {errors[0]}")

    def cancel(self) -> None:
        for worker in self._workers:
            worker.kill()
            worker.wait()


class _PageNotWritten(Exception):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path, self.reason = path, reason


def work(messages: BinaryIO) -> None:
    """A worker: write every page of every message until the pipe closes."""
    while head := messages.read(_LENGTH):
        for path, html in marshal.loads(messages.read(int.from_bytes(head, "little"))):
            try:
                write_page(path, html)
            except OSError as e:  # a full or read-only disk, a file where a folder goes
                raise _PageNotWritten(path, e.strerror or str(e)) from None


if __name__ == "__main__":
    try:
        work(sys.stdin.buffer)
    except _PageNotWritten as e:
        print(f"{_CANNOT_WRITE}{e.path}\t{e.reason}", file=sys.stderr)
        sys.exit(1)
    except Exception as e:  # a bug: the build raises it with this text
        print("".join(traceback.format_exception_only(e)).strip(), file=sys.stderr)
        sys.exit(1)
