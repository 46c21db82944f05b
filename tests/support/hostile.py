"""A hostile HTTP server on 127.0.0.1 for the tests: it reads each request, then answers with a script
(a trickle, an endless body, escape sequences, no HTTP at all, a redirect).

    with HostileServer(trickle(b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * 100, every=0.2)) as server:
        remote_query(server.url, "ASK {}")

Bounded: at most ``limit`` connections, each answered for at most ``seconds``; the server and every
connection are closed when the ``with`` block ends (the script sees ``stop`` set and returns).
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Callable

Script = Callable[[socket.socket, threading.Event, float], None]


class HostileServer:
    def __init__(self, script: Script, *, limit: int = 10, seconds: float = 30.0, backlog: int = 8):
        self.script = script
        self.limit = limit
        self.seconds = seconds
        self.backlog = backlog
        self.stop = threading.Event()
        self.requests: list[bytes] = []  # each request's head (request line and headers)
        self._threads: list[threading.Thread] = []
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def __enter__(self) -> "HostileServer":
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(self.backlog)
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        accepting = threading.Thread(target=self._accept, daemon=True)
        accepting.start()
        self._threads.append(accepting)
        return self

    def _accept(self) -> None:
        served = 0
        while not self.stop.is_set() and served < self.limit:
            try:
                conn, _ = self.listener.accept()
            except (socket.timeout, OSError):
                continue
            served += 1
            with self._lock:
                self._connections.append(conn)
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            worker.start()
            self._threads.append(worker)

    def _serve(self, conn: socket.socket) -> None:
        until = time.monotonic() + self.seconds
        try:
            conn.settimeout(2.0)
            self.requests.append(read_request(conn))
            self.script(conn, self.stop, until)
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.listener.close()
        with self._lock:
            for conn in self._connections:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        for thread in self._threads:
            thread.join(timeout=5)


def read_request(conn: socket.socket) -> bytes:
    """The request's head; its body (Content-Length bytes) is read and dropped, so closing sends no reset."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 1 << 16:
        chunk = conn.recv(4096)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(min(65536, length - len(body)))
        if not chunk:
            break
        body += chunk
    return head


def reply(data: bytes) -> Script:
    """Send ``data`` at once, then close."""

    def script(conn, stop, until):
        conn.sendall(data)

    return script


def trickle(data: bytes, every: float = 0.2, sent: list | None = None) -> Script:
    """Send ``data`` one byte every ``every`` seconds (until stopped, out of time or cut off by the
    client); ``sent``, when given, gets how many bytes went out on each connection."""

    def script(conn, stop, until):
        count = 0
        try:
            for i in range(len(data)):
                if stop.wait(every) or time.monotonic() > until:
                    return
                conn.sendall(data[i : i + 1])
                count += 1
        except OSError:  # the client closed the connection: it gave up on the answer
            return
        finally:
            if sent is not None:
                sent.append(count)

    return script


def endless(head: bytes, chunk: bytes = b"x" * 65536, most: int = 200 * 1024 * 1024) -> Script:
    """Send ``head``, then ``chunk`` again and again (at most ``most`` bytes, until stopped or out of time)."""

    def script(conn, stop, until):
        conn.sendall(head)
        sent = 0
        while sent < most and not stop.is_set() and time.monotonic() < until:
            conn.sendall(chunk)
            sent += len(chunk)

    return script


def silent() -> Script:
    """Read the request and never answer (until stopped or out of time)."""

    def script(conn, stop, until):
        stop.wait(max(0.0, until - time.monotonic()))

    return script


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Relay:
    """A TCP relay on 127.0.0.1 in front of a real server (``upstream`` host, port) that forwards each
    connection both ways until what the client sent on it matches ``hold`` (bytes -> bool): that
    request is never forwarded and its connection is held open, and ``held`` is set. Bounded like
    HostileServer: at most ``limit`` connections, ``seconds`` each; everything closed on exit."""

    def __init__(self, upstream: tuple[str, int], hold: Callable[[bytes], bool], *, limit: int = 50,
                 seconds: float = 60.0):
        self.upstream = upstream
        self.hold = hold
        self.held = threading.Event()
        self.server = HostileServer(self._relay, limit=limit, seconds=seconds)
        self.server._serve = self._serve  # no request read first: the relay forwards from the first byte

    @property
    def port(self) -> int:
        return self.server.port

    def __enter__(self) -> "Relay":
        self.server.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.server.__exit__(*exc)

    def _serve(self, conn: socket.socket) -> None:
        until = time.monotonic() + self.server.seconds
        try:
            self._relay(conn, self.server.stop, until)
        except OSError:
            pass
        finally:
            conn.close()

    def _relay(self, conn, stop, until) -> None:
        up = socket.create_connection(self.upstream, timeout=10)
        with self.server._lock:
            self.server._connections.append(up)
        sent = b""

        def back():
            try:
                while not stop.is_set():
                    data = up.recv(65536)
                    if not data:
                        break
                    conn.sendall(data)
            except OSError:
                pass
            finally:
                try:
                    conn.shutdown(socket.SHUT_WR)
                except OSError:
                    pass

        answering = threading.Thread(target=back, daemon=True)
        answering.start()
        conn.settimeout(0.2)
        try:
            while not stop.is_set() and time.monotonic() < until:
                try:
                    data = conn.recv(65536)
                except socket.timeout:
                    continue
                if not data:
                    up.shutdown(socket.SHUT_WR)
                    break
                sent += data
                if self.hold(sent):
                    self.held.set()
                    stop.wait(max(0.0, until - time.monotonic()))
                    return
                up.sendall(data)
            answering.join(timeout=max(0.0, until - time.monotonic()))
        finally:
            up.close()
