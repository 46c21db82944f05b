"""A private Virtuoso 7 for the tests: its own database directory, free ports on 127.0.0.1, stopped afterwards.

    with Virtuoso(tmp_dir) as server:
        server.sparql_url   # http://127.0.0.1:PORT/sparql  (anonymous queries)
        server.isql("SPARQL CLEAR GRAPH <urn:x>;")

Nothing here touches a system Virtuoso: the configuration, database, logs and lock file all live in the
directory given, and both ports (ISQL and HTTP) are picked free and bound to 127.0.0.1 only. If the
server does not stop when asked (``checkpoint; shutdown;`` through isql) it is terminated, then killed,
together with its process group.

Run it by hand to poke at a server: ``python tests/support/virtuoso.py`` starts one and waits for Ctrl-C.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

SERVER = "virtuoso-t"
CLIENT = "isql-vt"
VAD_DIR = "/usr/share/virtuoso-opensource-7/vad"
DBA_USER = "dba"
DBA_PASSWORD = "dba"  # a fresh database's password; the server only listens on 127.0.0.1

INSTALL_HINT = "install them with `make sysdeps` (runs tools/sysdeps.sh as root: Debian's virtuoso-opensource)"


class VirtuosoError(RuntimeError):
    """The private server could not be started or stopped; the message says why and where the log is."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_binaries() -> tuple[str, str]:
    """Paths of virtuoso-t and isql-vt, or VirtuosoError saying how to install them."""
    server, client = shutil.which(SERVER), shutil.which(CLIENT)
    missing = [name for name, path in ((SERVER, server), (CLIENT, client)) if not path]
    if missing:
        raise VirtuosoError(f"{' and '.join(missing)} not found on PATH: {INSTALL_HINT}")
    return server, client


CONFIG = """\
; Written by sendgraph's tests/support/virtuoso.py for a private, throw-away server.
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{isql_port}
LiteMode             = 0
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
O_DIRECT             = 0
CaseMode             = 2
MaxStaticCursorRows  = 5000
AllowOSCalls         = 0
SchedulerInterval    = 10
DirsAllowed          = ., {dir}, {vad_dir}
VADInstallDir        = {vad_dir}/
ThreadCleanupInterval = 0
ThreadThreshold      = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize    = 100000
SingleCPU            = 0
PrefixResultNames    = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps        = 64
MaxMemPoolSize       = 50000000
MaxQueryMem          = 256M
VectorSize           = 1000
MaxVectorSize        = 1000000
AdjustVectorSize     = 0
ThreadsPerQuery      = 2
AsyncQueueMaxThreads = 4
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {dir}/vsp
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
MaxCachedProxyConnections   = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[VDB]
ArrayOptimization           = 0
NumArrayParameters          = 10
VDBDisconnectTimeout        = 1000
KeepConnectionOnFixedThread = 0

[Replication]
ServerName   = sendgraph-test
ServerEnable = 0

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:{http_port}

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 120
DeferInferenceRulesInit    = 0
"""


def _die_with_parent() -> None:
    """In the child before exec: ask Linux to SIGTERM the server if the test process dies first."""
    from sendgraph.processes import die_with_parent

    die_with_parent(sig=signal.SIGTERM)


class Virtuoso:
    """One private Virtuoso server in ``directory`` (created if missing)."""

    def __init__(self, directory, *, start_timeout: float = 120.0, stop_timeout: float = 60.0):
        self.directory = Path(directory).resolve()
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.server_bin, self.client_bin = find_binaries()
        self.isql_port = free_port()
        self.http_port = free_port()
        while self.http_port == self.isql_port:
            self.http_port = free_port()
        self.process: subprocess.Popen | None = None
        self.user = DBA_USER
        self.password = DBA_PASSWORD

    # -- addresses -------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        return f"{self.base_url}/sparql"

    @property
    def log_path(self) -> Path:
        return self.directory / "virtuoso.log"

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    # -- life cycle ------------------------------------------------------------------------------
    def start(self) -> "Virtuoso":
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "vsp").mkdir(exist_ok=True)
        config = self.directory / "virtuoso.ini"
        config.write_text(
            CONFIG.format(
                dir=self.directory,
                isql_port=self.isql_port,
                http_port=self.http_port,
                vad_dir=VAD_DIR,
            )
        )
        self._stdout = open(self.directory / "stdout.log", "ab")
        self.process = subprocess.Popen(
            [self.server_bin, "+foreground", "+configfile", str(config)],
            cwd=self.directory,
            stdin=subprocess.DEVNULL,
            stdout=self._stdout,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed together if it hangs
            preexec_fn=_die_with_parent,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.kill()
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        probe = self.sparql_url + "?" + urllib.parse.urlencode({"query": "ASK {}", "format": "application/sparql-results+json"})
        last = "no answer"
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                raise VirtuosoError(
                    f"virtuoso-t exited with status {code} while starting; log {self.log_path}:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(probe, timeout=5) as response:
                    if response.status == 200:
                        return
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code}"
            except (urllib.error.URLError, OSError) as exc:
                last = str(getattr(exc, "reason", exc))
            time.sleep(0.5)
        raise VirtuosoError(
            f"virtuoso-t did not answer on {self.sparql_url} within {self.start_timeout:.0f}s ({last}); "
            f"log {self.log_path}:\n{self.log_tail()}"
        )

    def isql(self, sql: str, timeout: float = 60.0) -> str:
        """Run SQL through isql-vt as dba; returns its output, raises VirtuosoError on failure."""
        run = subprocess.run(
            [self.client_bin, f"127.0.0.1:{self.isql_port}", self.user, self.password, f"exec={sql}"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        output = run.stdout + run.stderr
        if run.returncode != 0 or "*** Error" in output:
            raise VirtuosoError(f"isql failed ({run.returncode}): {output.strip()[-500:]}")
        return output

    def stop(self) -> None:
        """Checkpoint and shut down; terminate, then kill, the process group if that does not work."""
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                subprocess.run(
                    [self.client_bin, f"127.0.0.1:{self.isql_port}", self.user, self.password,
                     "exec=checkpoint; shutdown;"],
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    timeout=self.stop_timeout,
                )
            except (subprocess.TimeoutExpired, OSError):
                pass
            try:
                self.process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close()

    def kill(self) -> None:
        """Stop the server's process group for sure: SIGTERM, then SIGKILL after a grace period."""
        if self.process is None:
            return
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            if self.process.poll() is not None:
                break
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                continue
        self._close()

    def _close(self) -> None:
        stdout = getattr(self, "_stdout", None)
        if stdout is not None and not stdout.closed:
            stdout.close()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def __enter__(self) -> "Virtuoso":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":  # pragma: no cover - manual use
    import sys
    import tempfile

    where = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="virtuoso-")
    with Virtuoso(where) as server:
        print(f"Virtuoso running: {server.sparql_url} (isql port {server.isql_port}, dir {server.directory})")
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
