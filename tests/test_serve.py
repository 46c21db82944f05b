"""`sendgraph serve`: the Oxigraph server over an embedded store, queried over HTTP on loopback by a
plain SPARQL client and by `sendgraph query --endpoint`, with the answers of `--store`; stopped by SIGTERM."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import DATA

from sendgraph.cli import main

SENDGRAPH = Path(sys.executable).with_name("sendgraph")
QUERIES = [["area-inspections", "-p", "area=Middlesbrough"], ["area-inspections", "-p", "area=Stockton"],
           ["repeat-inspectors"], ["shared-icb"], ["decisions"], ["weakness-themes"],
           ["theme-findings", "-p", "theme=Waiting times"],
           ["SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"],
           ["SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"],
           ["ASK { ?i sg:leadInspector ?p }"]]


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.stdout + result.stderr
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(n) for n in (task / "children").read_text().split()]
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def sparql(url: str, query: str) -> dict:
    """A plain SPARQL 1.1 protocol request: the query POSTed as a form, no dataset parameters."""
    request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "application/sparql-results+json",
                                              "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    built = run("build", DATA, "--store", folder / "store", "-o", folder / "graph.trig")
    assert built.exit_code == 0, built.stderr
    return folder / "store"


@pytest.fixture(scope="module")
def server(store):
    """`sendgraph serve` as a real process on a free loopback port: (endpoint URL, process, server pid)."""
    port = free_port()
    proc = subprocess.Popen([str(SENDGRAPH), "serve", "--store", str(store), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.startswith(f"Serving {store} at http://127.0.0.1:{port}/"), (line, proc.poll())
    server_pid = int(line.split("server process ")[1].split(")")[0])
    try:
        yield f"http://127.0.0.1:{port}/query", proc, server_pid
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if alive(server_pid):
            os.kill(server_pid, signal.SIGKILL)


def test_a_plain_sparql_client_sees_the_documents_and_no_bookkeeping(server, store):
    url, _, _ = server
    graphs = sparql(url, "SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g")
    names = [b["g"]["value"] for b in graphs["results"]["bindings"]]
    assert len(names) == 6 and all(n.startswith("https://w3id.org/sendgraph/id/graph/") for n in names), names
    # the default graph is the union: the links between documents (the real default graph) and every document
    people = sparql(url, "PREFIX foaf: <http://xmlns.com/foaf/0.1/> SELECT (COUNT(DISTINCT ?p) AS ?n) "
                         "WHERE { ?p a foaf:Person }")
    local = run("query", "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a foaf:Person }", "--store", store, "-f", "json")
    assert int(people["results"]["bindings"][0]["n"]["value"]) == json.loads(local.stdout)[0]["n"] > 0
    with urllib.request.urlopen(url[: -len("query")], timeout=30) as page:  # the query editor
        assert "yasgui" in page.read().decode("utf-8").lower()


def test_read_only(server):
    url, _, _ = server
    request = urllib.request.Request(url[: -len("query")] + "update", data=b"update=CLEAR%20ALL",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=30)


@pytest.mark.parametrize("args", QUERIES, ids=lambda a: a[0][:30])
def test_query_endpoint_answers_as_the_store(server, store, args):
    url, _, _ = server
    for fmt in ("csv", "json"):
        remote = run("query", *args, "--endpoint", url, "-f", fmt)
        local = run("query", *args, "--store", store, "-f", fmt)
        assert remote.exit_code == local.exit_code == 0, (remote.stderr, local.stderr)
        assert remote.stdout == local.stdout
        assert remote.stdout.count("\n") > (1 if fmt == "csv" and not args[0].startswith("ASK") else 0)


def test_names_are_resolved_over_the_endpoint_too(server):
    url, _, _ = server
    result = run("query", "area-inspections", "-p", "area=Middlesborough", "--endpoint", url)
    assert result.exit_code == 2 and "did you mean 'Middlesbrough'" in result.stderr


def test_a_store_being_served_is_not_built(server, store):
    result = run("build", DATA, "--store", store)
    assert result.exit_code == 2 and "open in another process" in result.stderr


def test_a_store_being_written_is_not_served(tmp_path):
    built = run("build", DATA / "hartlepool-2023-area-send-inspection.txt", "--store", tmp_path / "store")
    assert built.exit_code == 0
    writer = subprocess.Popen([sys.executable, "-c", "import sys, time; from sendgraph.stores.embedded import open_store; "
                               "s = open_store(sys.argv[1]); print('open', flush=True); time.sleep(60)",
                               str(tmp_path / "store")], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "open"  # another process has it open for writing
        result = run("serve", "--store", tmp_path / "store", "--port", free_port())
        assert result.exit_code == 2 and "open in another process" in result.stderr, result.stderr
    finally:
        writer.kill()
        writer.wait()


def test_nothing_to_serve(tmp_path):
    result = run("serve", "--store", tmp_path / "none")
    assert result.exit_code == 2 and result.stderr.startswith("Error: cannot serve ") and "no such store" in result.stderr
    assert not (tmp_path / "none").exists()


def test_a_port_in_use_is_one_line(tmp_path):
    assert run("build", DATA / "hartlepool-2023-area-send-inspection.txt", "--store", tmp_path / "store").exit_code == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run("serve", "--store", tmp_path / "store", "--port", taken.getsockname()[1])
    assert result.exit_code == 2 and "address is in use" in result.stderr and result.stderr.count("\n") == 1


def test_sigterm_stops_it_and_the_server_with_it(server):
    """Last in this module: it stops the shared server."""
    url, proc, server_pid = server
    assert server_pid in children(proc.pid) and alive(server_pid)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    deadline = time.monotonic() + 10
    while alive(server_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(server_pid)
    with pytest.raises(OSError):
        sparql(url, "ASK { }")
