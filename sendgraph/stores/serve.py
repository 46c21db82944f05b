"""A read-only SPARQL 1.1 endpoint over an embedded store: the Oxigraph server (PyPI ``oxigraph``) run
on the store's directory.

    serve("graph.db", host="127.0.0.1", port=7878)   # until Ctrl-C or SIGTERM

The server is ``oxigraph serve-read-only --union-default-graph``: the default graph of a query is
the union of the documents' graphs (and the links between them), as for ``sendgraph query --store``;
the endpoint is ``/query`` and the YASGUI query editor is at ``/``. The ``oxigraph`` release must
be the one of the installed ``pyoxigraph`` (same minor version), so that both read the store's
format alike.

While it serves, this process holds the store open for writing (its lock), so no build can change
the store under the server's feet; a store another process is writing is refused. The server runs
as a child that dies with this process; Ctrl-C and SIGTERM stop it and wait for it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from sendgraph.errors import StoreError, UsageError
from sendgraph.processes import die_with_parent

READY_TIMEOUT = 60.0  # seconds for the server to accept connections
STOP_TIMEOUT = 10.0  # seconds for it to stop before it is killed


def _minor(version: str) -> tuple:
    parts = version.split(".")
    return tuple(parts[:2])


def oxigraph_binary() -> str:
    """The ``oxigraph`` program of the installed ``oxigraph`` package, checked against pyoxigraph's version."""
    from importlib import metadata

    import pyoxigraph

    try:
        dist = metadata.distribution("oxigraph")
    except metadata.PackageNotFoundError:
        raise StoreError("the Oxigraph server is not installed: pip install 'oxigraph=="
                         f"{pyoxigraph.__version__}'") from None
    if _minor(dist.version) != _minor(pyoxigraph.__version__):
        raise StoreError(f"the Oxigraph server is version {dist.version} and pyoxigraph {pyoxigraph.__version__}: "
                         "install the same version of both, so that they read the store alike")
    candidates = [Path(str(dist.locate_file(f))).resolve() for f in dist.files or () if f.name == "oxigraph"]
    candidates.append(Path(sys.executable).with_name("oxigraph"))
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    raise StoreError(f"the oxigraph program of the oxigraph {dist.version} package is missing")


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def url_of(host: str, port: int) -> str:
    return f"http://{_bind(host, port)}/"


def _port_taken(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def _accepting(host: str, port: int) -> bool:
    target = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    try:
        with socket.create_connection((target, port), timeout=1):
            return True
    except OSError:
        return False


class _Stop(Exception):
    pass


def serve(store_dir, host: str = "127.0.0.1", port: int = 7878,
          ready: Callable[[str, int], None] | None = None) -> int:
    """Serve the embedded store in ``store_dir`` until Ctrl-C or SIGTERM; the server's exit status
    (0 when stopped by a signal). ``ready(url, server_pid)`` is called once it accepts queries.

    StoreError when the store does not exist, is being written by another process, or the server
    cannot start (the port is taken, say); UsageError for a bad port.
    """
    from sendgraph.stores.embedded import _flush, graphs, open_store

    path = Path(store_dir)
    if not (path / "CURRENT").is_file():
        raise StoreError(f"cannot serve {path}: no such store (build one with sendgraph build --store {path})")
    if not 0 < int(port) < 65536:
        raise UsageError(f"not a port: {port}")
    program = oxigraph_binary()
    # Held open for writing while serving: a build of this store is refused until the server stops.
    store = open_store(path)
    try:
        if not graphs(store):
            raise StoreError(f"cannot serve {path}: the store holds no documents")
        _flush(store)
        if _port_taken(host, port):
            raise StoreError(f"cannot serve on {_bind(host, port)}: the address is in use or cannot be bound")
        return _run(program, path, host, port, ready)
    finally:
        del store


def _run(program: str, path: Path, host: str, port: int, ready) -> int:
    command = [program, "serve-read-only", "--location", str(path), "--bind", _bind(host, port),
               "--union-default-graph"]
    stopping = {"signal": None}

    def stop(signum, frame):
        stopping["signal"] = signum
        raise _Stop()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    log = tempfile.TemporaryFile(mode="w+b")
    server = None
    try:
        try:
            server = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                      preexec_fn=die_with_parent, start_new_session=True)
        except OSError as exc:
            raise StoreError(f"cannot start the Oxigraph server: {exc.strerror or exc}") from None
        deadline = time.monotonic() + READY_TIMEOUT
        while not _accepting(host, port):
            code = server.poll()
            if code is not None:
                log.seek(0)
                lines = [line for line in log.read().decode("utf-8", "replace").splitlines() if line.strip()]
                reason = lines[-1].strip() if lines else f"exit status {code}"
                raise StoreError(f"the Oxigraph server stopped at once: {reason[:300]}")
            if time.monotonic() > deadline:
                raise StoreError(f"the Oxigraph server did not answer on {_bind(host, port)} within {READY_TIMEOUT:.0f} s")
            time.sleep(0.05)
        if ready:
            ready(url_of(host, port), server.pid)
        return server.wait()
    except _Stop:
        return 0
    finally:
        for signum in previous:  # a second Ctrl-C or SIGTERM does not cut the stopping short
            signal.signal(signum, signal.SIG_IGN)
        if server is not None and server.poll() is None:
            # its own session: a Ctrl-C at the terminal reaches it through this process, in order
            server.terminate()
            try:
                server.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        log.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
