"""For the tests that kill a process part-way: read its output up to a step, then SIGKILL it."""

from __future__ import annotations

import signal


def read_until(stream, reached, seen: list, what: str) -> None:
    """Read lines of ``stream`` into ``seen`` until ``reached(seen)``; fail if the stream ends first."""
    while not reached(seen):
        line = stream.readline()
        assert line, f"the process ended before {what}: {seen[-3:]}"
        seen.append(line)


def kill_now(proc) -> str:
    """SIGKILL ``proc`` and wait until every process holding its pipes is gone; its standard output."""
    try:
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return out
