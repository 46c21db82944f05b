"""The project's own exceptions: library code raises these, only the CLI turns them into exit codes."""


class SendgraphError(Exception):
    """Base class of every error sendgraph raises on purpose.

    ``exit_code`` is what the command line exits with: 2 (bad input or usage) unless a subclass or
    an instance says otherwise (1: the run did part of its work, as a push that stopped part-way).
    """

    exit_code = 2


def first_line(exc: BaseException | str) -> str:
    """The first line of an exception's message (its class name when it has none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def decodable(text) -> str:
    """Text that can always be encoded: the undecodable bytes of a file name (surrogate escapes) as \\xNN."""
    return str(text).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def printable(text) -> str:
    """Text safe to print on one line, the one sanitiser of everything printed from outside (file and
    folder names, what a server sends, query results): line breaks, control and format characters
    and escape sequences escaped (\\n, \\x1b, \\u202e), undecodable file-name bytes as \\xNN."""
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in decodable(text))


class InputError(SendgraphError):
    """A document could not be read or is not a SEND document.

    ``str(error)`` is one line naming the file and the reason; ``detail`` may hold a traceback (for --debug).
    """

    def __init__(self, path, reason, detail: str | None = None):
        self.path = str(path)
        self.reason = reason
        self.detail = detail
        super().__init__(f"{printable(self.path)}: {printable(' '.join(str(reason).split()))}")

    def __reduce__(self):  # picklable, so that errors come back from worker processes
        return (type(self), (self.path, self.reason, self.detail))


class UsageError(SendgraphError):
    """The user asked for something that cannot be done (unknown area, bad option value)."""


class OutputError(SendgraphError):
    """An output path that sendgraph will not write as asked (a device, a FIFO, a socket)."""


class GraphError(SendgraphError):
    """A graph file or store could not be read or written."""


class QueryError(SendgraphError):
    """A SPARQL query is malformed or could not be run."""


class StoreError(SendgraphError):
    """A store or remote SPARQL endpoint failed (unreachable, refused, server error)."""
