"""Write all or nothing: a new tree is written beside the old one, then swapped in.

A killed or failed build leaves at most a ``.<name>.new-*`` folder behind (removed
by the next build); the previous folder stays as it was until the swap. On Linux the
swap is one ``renameat2(RENAME_EXCHANGE)`` call, so at every instant the target is a
whole tree; elsewhere it is two renames, which ``recover_dir`` completes if a build
was killed between them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from generator.errors import UsageError


def current_umask() -> int:
    """The process's umask. Linux tells it in /proc; elsewhere it is read by setting it,
    which another thread could see for an instant."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def staging_dir(target: Path) -> Path:
    """A fresh empty folder next to ``target`` (same file system, so renames are atomic),
    with the permissions of any folder the user makes (mkdtemp's are 0700: a web server
    running as another user could not read the site)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    path.chmod(0o777 & ~current_umask())
    return path


@contextmanager
def exclusive(target: Path) -> Iterator[None]:
    """Hold ``target`` for one writer: a second build of the same folder would delete the
    first one's staging folder (``recover_dir``) and swap half a site in. The lock is an
    ``flock`` on ``.<name>.lock`` beside it, which the system drops when the holder ends,
    however it ends; the holder removes the file on the way out."""
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = target.with_name(f".{target.name}.lock")
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise UsageError(f"another build is writing {target} (pid {holder})") from None
        try:
            if os.stat(lock).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)  # locked a file its holder removed meanwhile: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        lock.unlink(missing_ok=True)  # while still held: a waiting opener then re-checks
        os.close(fd)


def write_files(root: Path, files: Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]]) -> None:
    """Write ``{relative path: content}`` (or such pairs, as they come) under ``root``;
    text as UTF-8 with \\n endings. Several processes may write under one root at once."""
    made: set[Path] = set()
    for rel, content in files.items() if isinstance(files, Mapping) else files:
        path = root / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)


def recover_dir(target: Path) -> None:
    """Undo the effects of a build killed mid-way: restore a half-swapped folder, drop leftovers."""
    old = target.with_name(f".{target.name}.old")
    if old.exists() and not target.exists():
        old.rename(target)
    if target.parent.exists():
        for leftover in target.parent.glob(f".{target.name}.new-*"):
            shutil.rmtree(leftover, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system can't."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_dir(new: Path, target: Path) -> None:
    """Put ``new`` in place of ``target``; the old tree is removed only after."""
    if target.exists() and _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the old tree
        return
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace one file atomically (temp file in the same folder + fsync + rename). A
    process killed meanwhile leaves a hidden ``.<name>.*.tmp`` (git-ignored; see
    ``remove_temp_files``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TEMP_SUFFIX, dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~current_umask())  # mkstemp's 0600, made what open() would give
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_TEMP_SUFFIX = ".tmp"


def remove_temp_files(folder: Path) -> None:
    """Remove what ``write_bytes_atomic`` left in ``folder`` when it was killed mid-write."""
    for leftover in folder.glob(f".*{_TEMP_SUFFIX}") if folder.is_dir() else ():
        leftover.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    """Replace one text file atomically, UTF-8 with \\n line endings."""
    write_bytes_atomic(path, text.encode("utf-8"))
