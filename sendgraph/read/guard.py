"""Each file read in a worker process under a memory cap and a time budget, so that no file takes the batch down."""

from __future__ import annotations

import os
import signal
import time
from collections import deque
from dataclasses import dataclass

#: Defaults that suit the real reports with a wide margin (the largest corpus PDF needs about 200 MiB
#: and 2 s); the environment (or the command's options) can change them.
MEMORY_MIB = 2048
SECONDS = 60.0


@dataclass(frozen=True)
class Limits:
    memory_mib: int = MEMORY_MIB  # address space of a worker, in MiB (0: no cap)
    seconds: float = SECONDS  # time to read one file (0: no budget)

    @classmethod
    def from_environment(cls, memory_mib: int | None = None, seconds: float | None = None) -> "Limits":
        """The limits given, else SENDGRAPH_MEMORY_LIMIT_MB / SENDGRAPH_TIME_LIMIT, else the defaults."""
        from sendgraph.errors import UsageError

        def number(value, name, kind):
            try:
                found = kind(value)
            except (TypeError, ValueError):
                raise UsageError(f"{name}={value!r}: not a number") from None
            if found < 0:
                raise UsageError(f"{name}={value!r}: must be 0 (no limit) or more")
            return found

        if memory_mib is None:
            memory_mib = number(os.environ.get("SENDGRAPH_MEMORY_LIMIT_MB", MEMORY_MIB), "SENDGRAPH_MEMORY_LIMIT_MB", int)
        if seconds is None:
            seconds = number(os.environ.get("SENDGRAPH_TIME_LIMIT", SECONDS), "SENDGRAPH_TIME_LIMIT", float)
        return cls(int(memory_mib), float(seconds))


def _worker(conn, parent: int, memory_mib: int | None, read) -> None:
    """A worker: ``read`` each path sent, send back its (records, error); die with the parent. A worker
    started early (``read`` None) first waits for its (memory cap, reader), sent by :func:`iter_guarded`."""
    from sendgraph.processes import die_with_parent

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if read is None:
        try:
            setup = conn.recv()
        except EOFError:
            return
        if setup is None:
            return
        memory_mib, read = setup
    if memory_mib:
        import resource

        cap = memory_mib * 2**20
        try:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        except (ValueError, OSError):
            pass
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        outcome = read(path)
        error = outcome[1]
        if memory_mib and error is not None and "MemoryError" in (error.detail or ""):
            outcome = (None, _memory_error(path, memory_mib))
        try:
            conn.send(outcome)
        except MemoryError:  # the records themselves did not fit under the cap
            conn.send((None, _memory_error(path, memory_mib)))


def _memory_error(path, memory_mib: int):
    from sendgraph.errors import InputError

    return InputError(path, f"needs more than the memory limit of {memory_mib} MiB to read "
                            "(set SENDGRAPH_MEMORY_LIMIT_MB or --memory-limit to allow more)")


class _Slot:
    """One worker process and the file it is reading."""

    def __init__(self, ctx, memory_mib: int | None, read):
        parent, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, os.getpid(), memory_mib, read), daemon=True)
        self.process.start()
        child.close()
        self.conn = parent
        self.index = None
        self.started = 0.0

    def give(self, index: int, path) -> None:
        self.index, self.started = index, time.monotonic()
        self.conn.send(path)

    def stop(self, kill: bool = False) -> None:
        if kill:
            try:
                self.process.kill()
            except (OSError, ValueError):
                pass
        else:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                pass
        self.process.join(timeout=5 if not kill else None)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


#: Workers started by :func:`start_early`, not yet given their reader.
_EARLY: list = []


def start_early(count: int) -> None:
    """Start ``count`` workers now, before the caller's own heavy imports, so that the first files are
    read while they run; the next :func:`iter_guarded` with a reader importable by name takes them
    (each gets its memory cap and reader then, before its first file). Workers it does not take are
    stopped."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    _EARLY.extend(_Slot(ctx, None, None) for _ in range(max(0, count - len(_EARLY))))


def _by_name(read) -> bool:
    """Whether ``read`` is a module's top-level function (so it can be sent to a worker by name)."""
    import sys

    module, name = getattr(read, "__module__", None), getattr(read, "__qualname__", "")
    return getattr(sys.modules.get(module), name, None) is read if "." not in name else False


def _take_early(count: int, memory_mib: int, read) -> list:
    """Up to ``count`` of the workers started early, each given its memory cap and reader; the rest stopped."""
    early, taken = list(_EARLY), []
    _EARLY.clear()
    for slot in early:
        if len(taken) < count and _by_name(read) and slot.process.is_alive():
            try:
                slot.conn.send((memory_mib, read))
                taken.append(slot)
                continue
            except (OSError, ValueError):
                pass
        slot.stop(kill=not slot.process.is_alive())
    return taken


def iter_guarded(files: list, jobs: int, limits: Limits, order: list[int], read):
    """(index, records, error) for each file, read by ``read(path) -> (records, error)`` in ``jobs``
    worker processes (forked: ``read`` need not be picklable) in ``order``; a file
    whose worker runs past the time budget is stopped, one whose worker dies (out of memory in the
    PDF library, a crash) is named, and the others go on."""
    import multiprocessing
    from multiprocessing.connection import wait

    from sendgraph.errors import InputError

    ctx = multiprocessing.get_context("fork")
    queue = deque(order)
    count = max(1, min(jobs, len(queue)))
    slots = _take_early(count, limits.memory_mib, read)
    slots += [_Slot(ctx, limits.memory_mib, read) for _ in range(count - len(slots))]
    try:
        for slot in slots:  # the first files
            if queue:
                index = queue.popleft()
                slot.give(index, files[index])
        while any(slot.index is not None for slot in slots):
            busy = [s for s in slots if s.index is not None]
            timeout = None
            if limits.seconds:
                now = time.monotonic()
                timeout = max(0.0, min(s.started + limits.seconds - now for s in busy))
            ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout=timeout)
            for n, slot in enumerate(slots):
                if slot.index is None:
                    continue
                index, outcome, replace = slot.index, None, False
                if slot.conn in ready:
                    try:
                        outcome = slot.conn.recv()
                    except (EOFError, OSError):
                        outcome, replace = None, True
                elif slot.process.sentinel in ready:
                    replace = True
                elif limits.seconds and time.monotonic() - slot.started >= limits.seconds:
                    outcome = (None, InputError(files[index], f"took longer than the time limit of {limits.seconds:g} s "
                                                              "to read (set SENDGRAPH_TIME_LIMIT or --time-limit to allow more)"))
                    replace = True
                else:
                    continue
                if outcome is None:  # the worker died: the memory cap, or a crash inside the PDF library
                    outcome = (None, InputError(files[index], "the PDF reader stopped on this file (it needed more than "
                                                              f"the memory limit of {limits.memory_mib} MiB, or crashed)"
                                                if limits.memory_mib else "the PDF reader crashed on this file"))
                slot.index = None
                if replace:
                    slot.stop(kill=True)
                    slot = slots[n] = _Slot(ctx, limits.memory_mib, read)
                if queue:
                    following = queue.popleft()
                    slot.give(following, files[following])
                yield (index, *outcome)
    finally:
        for slot in slots:
            slot.stop(kill=slot.index is not None)
