"""The project's own exceptions: library code raises these, only the CLI turns them into exit codes."""


class SendgraphError(Exception):
    """Base class of every error sendgraph raises on purpose."""


class InputError(SendgraphError):
    """A document could not be read or is not a SEND document.

    ``str(error)`` is one line naming the file and the reason.
    """

    def __init__(self, path, reason):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UsageError(SendgraphError):
    """The user asked for something that cannot be done (unknown area, bad option value)."""


class GraphError(SendgraphError):
    """A graph file or store could not be read or written."""


class QueryError(SendgraphError):
    """A SPARQL query is malformed or could not be run."""


class StoreError(SendgraphError):
    """A store or remote SPARQL endpoint failed (unreachable, refused, server error)."""
