"""Child processes that end with the process that started them (workers, the SPARQL server)."""

from __future__ import annotations

import os
import signal


def die_with_parent(parent: int | None = None, sig: int = signal.SIGKILL) -> None:
    """In a child process: have Linux send it ``sig`` when its parent dies, even by SIGKILL, so that a
    killed run leaves no worker or server behind. With ``parent`` (the parent's pid, taken before the
    child started), a child whose parent already died exits at once. Elsewhere than Linux, nothing."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, sig, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)
