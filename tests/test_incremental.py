"""Incremental builds on the embedded store, with the real documents of data/ copied to a folder.

A rebuild with nothing changed extracts nothing (the report's ``extracted`` and ``cached`` say which
files were read and which came from the record cache); a changed document replaces its graph
alone; a removed one is dropped; the store answers named queries as the memory graph does; and a
build killed part-way leaves the store as it was.
"""

from __future__ import annotations

import gc
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from support.killing import kill_now, read_until
from support.paths import DATA, ROOT
from rdflib import URIRef

from sendgraph.stores import embedded as emb

from sendgraph.stores import target as tgt
from sendgraph.read.extract import sha256_bytes
from sendgraph.vocab import SG
from sendgraph.graph.files import sorted_nquads
from sendgraph.stores.incremental import CACHE_DIR, RecordCache, build, extractor_fingerprint
from sendgraph.stores.results import format_result
from sendgraph.stores.named import list_queries, run_query

GRAPH = "https://w3id.org/sendgraph/id/graph/"
HARTLEPOOL_2023 = "hartlepool-2023-area-send-inspection.txt"
STOCKTON_2019 = "stockton-on-tees-2019-joint-local-area-send-inspection.txt"
LETTERS = "hartlepool-2016-and-middlesbrough-2017-send-inspection-letters.txt"
ALL_GRAPHS = sorted(GRAPH + name for name in (
    f"{LETTERS}#1", f"{LETTERS}#2", HARTLEPOOL_2023, "middlesbrough-2023-area-send-inspection.txt",
    "middlesbrough-2023-send-peer-review-council-report.txt", STOCKTON_2019))
OLD_SENTENCE = "The post-16 offer for young people is strong."
NEW_SENTENCE = "The post-16 offer for young people is exceptionally strong."


@pytest.fixture
def project(tmp_path):
    """A folder with a copy of data/ (``data``) and where an embedded store goes (``store``)."""
    shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("*.md"))
    return tmp_path


def files_of(project) -> list[str]:
    return sorted(str(p.relative_to(project)) for p in (project / "data").iterdir())


def dump(path) -> list[str]:
    """Every quad of the store (bookkeeping included), sorted: the store's whole state."""
    store = emb.open_store(path)
    try:
        return sorted(store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines())
    finally:
        del store
        gc.collect()


def graph_triples(path) -> dict[str, set]:
    """{graph IRI (or "default"): its triples} for the store's graphs, bookkeeping left out."""
    store = emb.open_store(path)
    try:
        graphs: dict[str, set] = {}
        for quad in store.quads_for_pattern(None, None, None, None):
            name = "default" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
            if not name.startswith("urn:x-sendgraph:store:"):
                graphs.setdefault(name, set()).add(str(ox.Triple(quad.subject, quad.predicate, quad.object)))
        return graphs
    finally:
        del store
        gc.collect()


def content(path) -> list[str]:
    """The store's graphs (default and named) as sorted N-Quads, its bookkeeping left out."""
    return [line for line in dump(path) if "urn:x-sendgraph:store:" not in line]


def as_oxigraph(dataset) -> list[str]:
    """A built dataset as Oxigraph holds it: sorted N-Quads after loading it into an in-memory store.

    Oxigraph keeps values, not every datatype: ``"3"^^xsd:nonNegativeInteger`` (``sg:paragraphIndex``)
    is stored as ``"3"^^xsd:integer``, so a store is compared with the build loaded the same way.
    """
    memory = ox.Store()
    memory.load(sorted_nquads(dataset).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return sorted(memory.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines())


def memory_build(folder):
    result = build([folder])
    assert not result.errors
    return result.dataset


# ---------------------------------------------------------------------------------------------
# Added, kept, replaced, dropped
# ---------------------------------------------------------------------------------------------


def test_first_build_adds_every_document_and_a_rebuild_extracts_nothing(project):
    data, store = project / "data", project / "store"
    first = build([data], str(store))
    assert first.sync.added == ALL_GRAPHS
    assert (first.sync.replaced, first.sync.kept, first.sync.dropped) == ([], [], [])
    assert sorted(first.extracted) == [str(project / f) for f in files_of(project)] and first.cached == []
    checksums = sorted(sha256_bytes(p.read_bytes()) for p in data.iterdir())
    assert RecordCache(store / CACHE_DIR).checksums() == checksums  # one cache entry per file
    assert first.sync_line() == f"Store {store}: added 6, replaced 0, kept 0, dropped 0 (5 files extracted, 0 from the cache)"
    before = dump(store)

    again = build([data], str(store))
    assert again.sync.kept == ALL_GRAPHS
    assert (again.sync.added, again.sync.replaced, again.sync.dropped) == ([], [], [])
    assert not again.sync.default_replaced and not again.sync.changed
    assert again.extracted == []  # nothing extracted: every file's records came from the cache
    assert sorted(again.cached) == [str(project / f) for f in files_of(project)]
    assert again.sync_line().endswith("kept 6, dropped 0 (0 files extracted, 5 from the cache)")
    assert dump(store) == before  # not one quad written

    # Records from the cache give exactly the graph a full extraction gives, and the store holds it.
    full = memory_build(data)
    assert sorted_nquads(again.dataset) == sorted_nquads(full)
    assert content(store) == as_oxigraph(full)


def test_a_changed_document_replaces_only_its_graph(project):
    data, store = project / "data", project / "store"
    build([data], str(store))
    before = graph_triples(store)
    target = data / HARTLEPOOL_2023
    text = target.read_text(encoding="utf-8")
    assert text.count(OLD_SENTENCE) == 1
    target.write_text(text.replace(OLD_SENTENCE, NEW_SENTENCE), encoding="utf-8")

    result = build([data], str(store))
    changed = GRAPH + HARTLEPOOL_2023
    assert result.sync.replaced == [changed]
    assert result.sync.kept == [g for g in ALL_GRAPHS if g != changed]
    assert (result.sync.added, result.sync.dropped) == ([], [])
    assert result.extracted == [str(target)] and len(result.cached) == 4  # only the changed file was read
    after = graph_triples(store)
    assert set(after) == set(before)
    for name in ALL_GRAPHS:
        if name != changed:
            assert after[name] == before[name], name  # other documents' graphs untouched
    assert after[changed] != before[changed]
    assert any(NEW_SENTENCE in line for line in after[changed]) and not any(OLD_SENTENCE in line for line in after[changed])
    # the graph records the new checksum of its document
    new_sha = sha256_bytes(target.read_bytes())
    assert f'<{changed}> <{SG.sha256}> "{new_sha}"' in "\n".join(after[changed])
    # and the store equals a full rebuild of the changed folder
    assert content(store) == as_oxigraph(memory_build(data))


def test_a_removed_document_is_dropped_and_an_added_one_added(project):
    data, store = project / "data", project / "store"
    build([data], str(store))
    removed = data / STOCKTON_2019
    sha = sha256_bytes(removed.read_bytes())
    parked = project / STOCKTON_2019
    removed.rename(parked)

    result = build([data], str(store))
    assert result.sync.dropped == [GRAPH + STOCKTON_2019]
    assert result.sync.kept == [g for g in ALL_GRAPHS if g != GRAPH + STOCKTON_2019]
    assert (result.sync.added, result.sync.replaced) == ([], []) and result.extracted == []
    assert GRAPH + STOCKTON_2019 not in graph_triples(store)
    assert sha not in RecordCache(store / CACHE_DIR).checksums()  # its cache entry went with it
    s = emb.open_store(store, read_only=True)
    try:
        assert set(emb.graphs(s)) == set(ALL_GRAPHS) - {GRAPH + STOCKTON_2019}
        stockton = emb.query(s, "ASK { ?a rdfs:label 'Stockton-on-Tees' }", prefixes={"rdfs": URIRef(
            "http://www.w3.org/2000/01/rdf-schema#")})
        assert stockton.answer is False  # what only that document said is gone, links included
    finally:
        del s
        gc.collect()

    (data / "2019").mkdir()
    parked.rename(data / "2019" / STOCKTON_2019)
    result = build([data], str(store))
    assert result.sync.added == [GRAPH + "2019/" + STOCKTON_2019]
    assert result.extracted == [str(data / "2019" / STOCKTON_2019)]


def test_the_store_answers_named_queries_as_the_memory_graph_does(project):
    data, store = project / "data", project / "store"
    build([data], str(store))
    memory = memory_build(data)
    s = emb.open_store(store, read_only=True)
    runs = [(name, {}) for name, _ in list_queries()]
    runs += [("area-inspections", {"area": "Middlesbrough"}), ("area-inspections", {"area": "E06000001"}),
             ("theme-findings", {"theme": "https://w3id.org/sendgraph/id/theme/local-offer"})]
    try:
        nonempty = 0
        for name, params in runs:
            expected = canonical(format_result(run_query(memory, name, params), "json"))
            got = canonical(format_result(tgt.query_target(s, name, params), "json"))
            assert got == expected, (name, params)
            nonempty += bool(expected)
        assert nonempty == len(runs)
    finally:
        del s
        gc.collect()


def canonical(text: str) -> list:
    """JSON rows sorted, with GROUP_CONCAT lists sorted (their order is up to each engine)."""
    rows = json.loads(text)
    out = []
    for row in rows:
        fixed = {}
        for key, value in row.items():
            if isinstance(value, str) and "; " in value:
                value = "; ".join(sorted(value.split("; ")))
            fixed[key] = value
        out.append(json.dumps(fixed, sort_keys=True))
    return sorted(out)


# ---------------------------------------------------------------------------------------------
# The record cache
# ---------------------------------------------------------------------------------------------


def test_stale_or_damaged_cache_entries_are_extracted_again(project):
    data, store = project / "data", project / "store"
    build([data], str(store))
    cache = RecordCache(store / CACHE_DIR)
    hartlepool = sha256_bytes((data / HARTLEPOOL_2023).read_bytes())
    stockton = sha256_bytes((data / STOCKTON_2019).read_bytes())
    entry = json.loads((store / CACHE_DIR / f"{hartlepool}.json").read_text(encoding="utf-8"))
    assert entry["extractor"] == extractor_fingerprint() and entry["records"][0]["source"].endswith(HARTLEPOOL_2023)
    entry["extractor"] = "another version of the extractor"
    (store / CACHE_DIR / f"{hartlepool}.json").write_text(json.dumps(entry), encoding="utf-8")
    (store / CACHE_DIR / f"{stockton}.json").write_text('{"format": 1, "records": [', encoding="utf-8")
    (store / CACHE_DIR / ".left-by-a-killed-build.tmp").write_text("partial", encoding="utf-8")

    result = build([data], str(store))
    assert sorted(result.extracted) == sorted([str(data / HARTLEPOOL_2023), str(data / STOCKTON_2019)])
    assert result.sync.kept == ALL_GRAPHS  # the same records again: nothing to change
    assert cache.get(hartlepool)[0]["sha256"] == hartlepool and cache.get(stockton) is not None
    assert not (store / CACHE_DIR / ".left-by-a-killed-build.tmp").exists()


def test_cached_records_take_the_path_they_are_found_at(project):
    data, store = project / "data", project / "store"
    build([data], str(store))
    moved = project / "reports"
    data.rename(moved)
    result = build([moved], str(store))
    assert result.extracted == [] and result.sync.kept == ALL_GRAPHS  # graphs are named relative to the folder
    assert all(r["source"].startswith(str(moved)) for r in result.records)
    assert {r["source"] for r in result.records} >= {f"{moved / LETTERS}#1", f"{moved / LETTERS}#2"}


def test_the_extractor_fingerprint_covers_every_module_extraction_uses():
    from sendgraph.stores import incremental

    code = ("import sys; from sendgraph.read.extract import extract_paths; extract_paths(sys.argv[1:]); "
            "print(' '.join(sorted(m.__file__ for n, m in sys.modules.items() if n.startswith('sendgraph.'))))")
    done = subprocess.run([sys.executable, "-c", code, str(DATA)], capture_output=True, text=True, check=True, cwd=ROOT)
    used = {Path(f).resolve() for f in done.stdout.split()} - {Path(f).resolve() for f in Path(incremental.read.__file__).parent.parent.glob("__init__.py")}
    hashed = {p.resolve() for p in incremental.extractor_files()}
    assert used and used <= hashed, used - hashed
    assert all(p.is_file() for p in hashed), [p for p in hashed if not p.is_file()]  # none hashed as missing


def test_the_extractor_fingerprint_changes_with_a_module_of_the_read_subpackage(tmp_path, monkeypatch):
    from sendgraph.stores import incremental

    package = Path(incremental.read.__file__).resolve().parent.parent
    names = [p.relative_to(package).as_posix() if p.is_relative_to(package) else p.name for p in incremental.extractor_files()]
    assert {"read/extract.py", "read/themes.py", "data/gazetteer.csv", "themes.ttl"} <= set(names), names
    before = incremental.extractor_fingerprint()
    incremental.extractor_fingerprint.cache_clear()
    real = incremental.extractor_files
    extra = tmp_path / "new_module.py"
    extra.write_text("x = 1\n")
    monkeypatch.setattr(incremental, "extractor_files", lambda: real() + [extra])
    try:
        assert incremental.extractor_fingerprint() != before
    finally:
        incremental.extractor_fingerprint.cache_clear()


# ---------------------------------------------------------------------------------------------
# Nothing readable, and errors
# ---------------------------------------------------------------------------------------------


def test_nothing_readable_leaves_the_store_alone(project):
    data, store = project / "data", project / "store"
    build([data], str(store))
    before = dump(store)
    broken = project / "broken.pdf"
    broken.write_bytes(b"not a pdf at all")
    result = build([broken], str(store))
    assert result.dataset is None and result.sync is None and len(result.errors) == 1
    assert dump(store) == before


def test_a_store_in_use_is_one_clear_error(project):
    from sendgraph.errors import StoreError

    store = project / "store"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from sendgraph.stores.embedded import open_store; "
                               "s = open_store(sys.argv[1]); print('open', flush=True); time.sleep(60)", str(store)],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="open in another process"):
            build([project / "data"], str(store))
        reader = emb.open_store(store, read_only=True)  # queries still read it meanwhile
        assert tgt.query_target(reader, "ASK { ?s ?p ?o }").answer is False
        del reader
        gc.collect()
    finally:
        holder.kill()
        holder.wait()
    assert build([project / "data"], str(store)).sync.added == ALL_GRAPHS


# ---------------------------------------------------------------------------------------------
# A build killed part-way: the store reopens as it was
# ---------------------------------------------------------------------------------------------


def _change_everything(data, project):
    """One document changed, one removed, one added (a copy of a report with a line more)."""
    target = data / HARTLEPOOL_2023
    target.write_text(target.read_text(encoding="utf-8").replace(OLD_SENTENCE, NEW_SENTENCE), encoding="utf-8")
    (data / STOCKTON_2019).rename(project / STOCKTON_2019)
    copy = (project / STOCKTON_2019).read_text(encoding="utf-8") + "\nA line added to the copy.\n"
    (data / "stockton-copy.txt").write_text(copy, encoding="utf-8")


@pytest.mark.parametrize("event, nth, delay", [
    ("extracted", 1, 0.0),   # while reading the changed files
    ("staged", 1, 0.0),      # while loading the new graphs into the store
    ("committing", 1, 0.0),  # at the switch (one SPARQL Update of some 0.1 s here)
    ("committing", 1, 0.06),
    ("committing", 1, 0.12),
])
def test_a_killed_build_leaves_the_store_as_it_was(project, event, nth, delay):
    data, store = project / "data", project / "store"
    build([data], str(store))
    previous = dump(store)
    _change_everything(data, project)

    proc = subprocess.Popen([sys.executable, "-m", "sendgraph.cli", "build", str(data), "--store", str(store), "-v"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=project)
    seen: list[str] = []
    try:
        read_until(proc.stderr, lambda seen: sum(line.startswith(event) for line in seen) >= nth, seen,
                   f"{event} #{nth}")
        time.sleep(delay)
    finally:
        out = kill_now(proc)
    assert proc.returncode == -signal.SIGKILL, out  # killed part-way, not after it finished

    after = dump(store)  # opening cleans up the temporary graphs of the killed build
    assert not [line for line in after if "urn:x-sendgraph:store:tmp:" in line]
    finished = build([data], str(store))  # a new build finishes the job
    complete = dump(store)
    assert complete != previous
    if event in ("extracted", "staged"):
        assert after == previous  # killed before the switch: exactly the previous store
    else:
        assert after in (previous, complete)  # the switch is one transaction: all or nothing
    if after == previous:
        assert finished.sync.replaced == [GRAPH + HARTLEPOOL_2023]
        assert finished.sync.added == [GRAPH + "stockton-copy.txt"]
        assert finished.sync.dropped == [GRAPH + STOCKTON_2019]
    # unchanged documents were never extracted, by the killed build nor by the one after it
    assert set(finished.extracted) <= {str(data / HARTLEPOOL_2023), str(data / "stockton-copy.txt")}
    assert sorted_nquads(finished.dataset) == sorted_nquads(memory_build(data))


def test_adding_a_folder_to_a_store_build_renames_no_document(project, tmp_path_factory):
    """Graph names come from each file's path within the folder given, so a folder from another tree
    added to the build adds its documents and keeps every other graph's name (issue 18)."""
    data, store = project / "data", project / "store"
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "more"
    elsewhere.mkdir()
    (data / STOCKTON_2019).rename(elsewhere / STOCKTON_2019)
    first = build([data], str(store))
    before = sorted(first.sync.added)
    assert GRAPH + HARTLEPOOL_2023 in before
    second = build([data, elsewhere], str(store))
    assert second.sync.added == [GRAPH + STOCKTON_2019] and second.sync.dropped == []
    assert sorted(second.sync.kept + second.sync.replaced) == before
    third = build([elsewhere, data], str(store))  # the order of the paths changes nothing either
    assert (third.sync.added, third.sync.dropped, third.sync.replaced) == ([], [], [])
    assert sorted(third.sync.kept) == ALL_GRAPHS


# ---------------------------------------------------------------------------------------------
# build --store DIR --add PATH...
# ---------------------------------------------------------------------------------------------


def _cli(*args):
    from click.testing import CliRunner

    from sendgraph.cli import main

    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_add_adds_and_replaces_documents_and_keeps_the_others(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    names = sorted(p.name for p in DATA.glob("*.txt"))
    for name in names[:4]:
        shutil.copy(DATA / name, folder / name)
    store = tmp_path / "store"
    assert _cli("build", folder, "--store", store).exit_code == 0
    # a newly published report, added without giving the others again
    shutil.copy(DATA / names[4], folder / names[4])
    result = _cli("build", "--store", store, "--add", folder / names[4])
    assert result.exit_code == 0, result.stderr
    sync = result.stdout.splitlines()[0]
    assert sync.startswith(f"Store {store}: added 1, replaced 0, kept ") and ", dropped 0" in sync, sync
    assert "(1 file extracted, 0 from the cache; 4 files of earlier builds kept)" in sync, sync
    assert "Built 6 documents, 6 inspections" in result.stdout
    # the store equals a full build of the folder
    full = tmp_path / "full"
    assert _cli("build", folder, "--store", full).exit_code == 0
    assert dump(store) == dump(full)
    # a changed file given with --add replaces its document; the others are kept, not read again
    changed = folder / "stockton-on-tees-2019-joint-local-area-send-inspection.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Michael Wardle", "Michael Wardell"), encoding="utf-8")
    (folder / names[0]).unlink()  # kept although its file is gone: its records are in the store's cache
    result = _cli("build", "--store", store, "--add", changed)
    assert result.exit_code == 0, result.stderr
    assert "replaced 1" in result.stdout.splitlines()[0] and "; 4 files of earlier builds kept)" in result.stdout
    people = _cli("query", "SELECT ?n WHERE { ?p foaf:name ?n } ORDER BY ?n", "--store", store, "-f", "csv").stdout
    assert "Michael Wardell" in people and "Michael Wardle\n" not in people
    reports = _cli("query", "SELECT (COUNT(?r) AS ?n) WHERE { ?r a sg:Report }", "--store", store, "-f", "csv")
    assert reports.stdout == "n\n6\n"


def test_add_needs_a_store_and_paths(tmp_path):
    result = _cli("build", "--add", DATA)
    assert result.exit_code == 2 and "--add needs --store DIR" in result.stderr
    result = _cli("build", "--store", tmp_path / "store", "--add")
    assert result.exit_code == 2 and "--add needs the files or folders to add" in result.stderr


def test_add_to_a_new_store_is_a_build(tmp_path):
    result = _cli("build", "--store", tmp_path / "store", "--add", DATA / "hartlepool-2023-area-send-inspection.txt")
    assert result.exit_code == 0, result.stderr
    assert "added 1" in result.stdout and "0 files of earlier builds kept" in result.stdout
