"""The project's exceptions: one-line printable messages, a common base class, picklable input errors."""

import pickle

import pytest

from sendgraph.errors import GraphError, InputError, QueryError, SendgraphError, StoreError, UsageError, printable


@pytest.mark.parametrize(
    "text, shown",
    [
        ("Hartlepool SEND report.pdf", "Hartlepool SEND report.pdf"),
        ("O’Callaghan – Zoë", "O’Callaghan – Zoë"),  # printable non-ASCII is kept
        ("line one\nline two", "line one\\nline two"),
        ("tab\there", "tab\\there"),
        ("escape\x1b[31m", "escape\\x1b[31m"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        (b"r\xe9port.pdf".decode("utf-8", "surrogateescape"), "r\\xe9port.pdf"),  # undecodable file-name byte
        (42, "42"),
    ],
)
def test_printable(text, shown):
    assert printable(text) == shown
    assert "\n" not in printable(text)


def test_input_error_is_one_line_naming_file_and_reason():
    path = b"/corpus/r\xe9port.pdf".decode("utf-8", "surrogateescape")
    error = InputError(path, "not a PDF:\n  bad\theader", detail="Traceback (most recent call last): ...")
    assert str(error) == "/corpus/r\\xe9port.pdf: not a PDF: bad header"
    assert error.path == path
    assert error.reason == "not a PDF:\n  bad\theader"
    assert error.detail.startswith("Traceback")


def test_input_error_survives_pickling_for_worker_processes():
    error = InputError("reports/hull.pdf", "encrypted PDF", detail="trace")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is InputError
    assert (copy.path, copy.reason, copy.detail, str(copy)) == ("reports/hull.pdf", "encrypted PDF", "trace", str(error))


@pytest.mark.parametrize("cls", [InputError, UsageError, GraphError, QueryError, StoreError])
def test_every_error_is_a_sendgraph_error(cls):
    assert issubclass(cls, SendgraphError)
    assert issubclass(SendgraphError, Exception)
