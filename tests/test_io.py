"""Atomic writes: a file is replaced whole or left as it was, with no temporary file left behind."""

import os
import stat

import pytest

from sendgraph.io import atomic_path, write_bytes_atomic, write_text_atomic

TURTLE = (
    "@prefix sg: <https://w3id.org/sendgraph/ontology#> .\n"
    "<https://w3id.org/sendgraph/id/local-authority/E06000010> sg:name \"Kingston upon Hull\" .\n"
)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_write_text_atomic_creates_file_and_parents(tmp_path, umask_022):
    target = tmp_path / "out" / "graphs" / "hull.ttl"
    write_text_atomic(target, TURTLE + "# Zoë O’Callaghan\n")
    assert target.read_text(encoding="utf-8") == TURTLE + "# Zoë O’Callaghan\n"
    assert target.read_bytes().endswith("O’Callaghan\n".encode("utf-8"))  # UTF-8, newline kept as \n
    assert sorted(p.name for p in target.parent.iterdir()) == ["hull.ttl"]


def test_written_file_gets_the_mode_of_a_normal_file(tmp_path, umask_022):
    plain = tmp_path / "plain.ttl"
    with open(plain, "w") as fh:
        fh.write("x")
    atomic = tmp_path / "atomic.ttl"
    write_text_atomic(atomic, TURTLE)
    assert _mode(atomic) == 0o644 == _mode(plain)


def test_mode_follows_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        write_bytes_atomic(tmp_path / "private.nt", b"x")
        os.umask(0o002)
        write_bytes_atomic(tmp_path / "group.nt", b"x")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "private.nt") == 0o600
    assert _mode(tmp_path / "group.nt") == 0o664


def test_write_replaces_previous_content(tmp_path):
    target = tmp_path / "graph.nt"
    write_bytes_atomic(target, b"old old old old old\n")
    write_bytes_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n"  # shorter content does not leave the old tail behind
    assert [p.name for p in tmp_path.iterdir()] == ["graph.nt"]


def test_failed_text_write_keeps_previous_file(tmp_path):
    target = tmp_path / "graph.ttl"
    write_text_atomic(target, TURTLE)
    # A lone surrogate cannot be encoded: the write fails part of the way through the text.
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(target, "x" * 100_000 + "\ud800" + "tail")
    assert target.read_text(encoding="utf-8") == TURTLE
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_failed_write_inside_atomic_path_keeps_previous_file(tmp_path):
    target = tmp_path / "views" / "index.html"
    write_text_atomic(target, "<p>old</p>")
    with pytest.raises(RuntimeError, match="renderer failed"):
        with atomic_path(target) as tmp:
            assert tmp.parent == target.parent
            assert tmp.name.startswith(".index.html.") and tmp.name.endswith(".tmp")
            tmp.write_text("<p>half of the new page")
            assert tmp.exists() and target.read_text() == "<p>old</p>"
            raise RuntimeError("renderer failed")
    assert target.read_text() == "<p>old</p>"
    assert sorted(p.name for p in target.parent.iterdir()) == ["index.html"]


def test_failed_first_write_leaves_nothing(tmp_path):
    target = tmp_path / "new.ttl"
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"partial")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_body_that_removes_its_temporary_file_still_raises_its_own_error(tmp_path):
    target = tmp_path / "gone.ttl"
    with pytest.raises(ValueError, match="bad record"):
        with atomic_path(target) as tmp:
            tmp.unlink()
            raise ValueError("bad record")
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_success_moves_temporary_into_place(tmp_path):
    target = str(tmp_path / "people.csv")  # a str target is accepted too
    with atomic_path(target) as tmp:
        tmp.write_text("name,title\nJane Smith,Dr\n")
        seen = sorted(p.name for p in tmp_path.iterdir())
    assert seen == [tmp.name]  # the target did not exist while writing
    assert (tmp_path / "people.csv").read_text() == "name,title\nJane Smith,Dr\n"
    assert not tmp.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["people.csv"]


def test_a_later_write_removes_what_a_killed_run_left(tmp_path):
    # Regression: a run killed while writing left its hidden temporary file beside the output for ever.
    import os
    import subprocess
    import sys

    from sendgraph.io import write_text_atomic

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    target = tmp_path / "sendgraph.ttl"
    stale = tmp_path / f".sendgraph.ttl.{dead}.abc123.tmp"
    stale.write_text("half a graph")
    running = tmp_path / f".sendgraph.ttl.{os.getpid()}.def456.tmp"
    running.write_text("being written")
    other = tmp_path / f".other.ttl.{dead}.x.tmp"
    other.write_text("not ours")
    write_text_atomic(target, "whole\n")
    assert target.read_text() == "whole\n"
    assert not stale.exists()
    assert running.exists() and other.exists()


# ---------------------------------------------------------------------------------------------
# Outputs that are not plain new files: symlinks, devices, FIFOs, sockets, existing modes and owners
# ---------------------------------------------------------------------------------------------


def test_a_symlink_is_written_through_and_kept(tmp_path):
    target = tmp_path / "real.ttl"
    target.write_text("old\n")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    write_text_atomic(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new\n"
    chain = tmp_path / "chain.ttl"  # a link to a link: the final file is replaced
    chain.symlink_to(link)
    write_text_atomic(chain, "newer\n")
    assert chain.is_symlink() and link.is_symlink() and target.read_text() == "newer\n"
    dangling = tmp_path / "dangling.ttl"  # a link to a file not there yet: the file is made
    dangling.symlink_to(tmp_path / "made.ttl")
    write_text_atomic(dangling, "made\n")
    assert dangling.is_symlink() and (tmp_path / "made.ttl").read_text() == "made\n"


def test_devices_fifos_sockets_and_folders_are_refused_and_left_alone(tmp_path):
    import socket

    from sendgraph.errors import OutputError

    fifo = tmp_path / "out.ttl"
    os.mkfifo(fifo)
    sock_path = tmp_path / "s.ttl"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    if os.geteuid() == 0:  # a device node of its own (as in CI, run as root)
        device = tmp_path / "null.ttl"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    else:
        device = tmp_path / "device.ttl"
        device.symlink_to("/dev/null")  # written through a link: the device is refused
    folder = tmp_path / "folder.ttl"
    folder.mkdir()
    try:
        for path, what in ((fifo, "a FIFO"), (sock_path, "a socket"), (device, "a character device"), (folder, "a folder")):
            with pytest.raises(OutputError) as raised:
                write_text_atomic(path, "x\n")
            assert f"is {what}, not a regular file" in str(raised.value) and str(path.name) in str(raised.value)
        assert stat.S_ISFIFO(os.stat(fifo).st_mode) and stat.S_ISSOCK(os.stat(sock_path).st_mode)
        assert stat.S_ISCHR(os.stat(device).st_mode)
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (fifo, sock_path, device, folder))
    finally:
        server.close()


def test_an_existing_file_keeps_its_mode_and_owner(tmp_path):
    path = tmp_path / "secret.ttl"
    path.write_text("old\n")
    os.chmod(path, 0o600)
    if os.geteuid() == 0:
        os.chown(path, 4321, 4321)
    write_text_atomic(path, "new\n")
    status = os.stat(path)
    assert stat.S_IMODE(status.st_mode) == 0o600 and path.read_text() == "new\n"
    if os.geteuid() == 0:
        assert (status.st_uid, status.st_gid) == (4321, 4321)
    os.chmod(path, 0o640)
    write_bytes_atomic(path, b"newer\n")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
