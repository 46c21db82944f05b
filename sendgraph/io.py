"""Files written whole or not at all: write to a temporary name beside the target, then move into place."""

from __future__ import annotations

import errno
import glob
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def make_folder(folder) -> None:
    """Create folder and its parents; where a part of the path is a file, say so (not "File exists")."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise NotADirectoryError(errno.ENOTDIR, "a part of the path is a file, not a folder", str(folder)) from exc


def process_alive(pid: int) -> bool:
    """Whether a process of this id runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(target) -> list[Path]:
    """Remove the temporary files a killed run left beside ``target`` (``.NAME.PID.*.tmp`` of a process
    that no longer runs); those of running processes stay. Returns what was removed."""
    target = Path(target)
    removed = []
    for path in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        pid = path.name[len(target.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed


_SPECIAL = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO"),
            (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def output_target(target) -> tuple[Path, os.stat_result | None]:
    """The regular file an output to ``target`` replaces (a symlink's final target), with its status
    (None when it does not exist yet); a device, FIFO, socket or folder is refused (OutputError)."""
    from sendgraph.errors import OutputError, printable

    target = Path(target)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    try:
        status = os.stat(target)
    except FileNotFoundError:
        return target, None
    except OSError:
        return target, None  # unreadable metadata: the write itself will say why it fails
    for test, what in _SPECIAL:
        if test(status.st_mode):
            raise OutputError(f"{printable(target)}: is {what}, not a regular file: sendgraph only writes regular files "
                              "(use - for standard output)")
    return target, status


@contextmanager
def atomic_path(target):
    """Yield a temporary path beside ``target``; on success it replaces target, on error it is removed.

    The temporary name carries the process id, so a later run removes what a killed one left. A
    symlink is written through (its target is replaced, the link kept); an existing file keeps its
    mode, and its owner where the process may set it; a device, FIFO, socket or folder is refused.
    """
    target, existing = output_target(target)
    make_folder(target.parent)
    remove_stale_temporaries(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    if existing is None:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a new file gets the usual mode
    else:
        os.chmod(tmp, stat.S_IMODE(existing.st_mode))
        try:
            os.chown(tmp, existing.st_uid, existing.st_gid)
        except OSError:  # not permitted (not root, another owner): the file becomes this user's
            pass
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text_atomic(target, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes_atomic(target, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
