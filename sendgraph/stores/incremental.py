"""Builds from documents to a graph in memory, in an embedded store or on a SPARQL server, incrementally.

One function does every kind of build (``sendgraph build --store memory|DIR|URL``)::

    result = build(["data"], "graph.oxigraph")   # or "memory", or "http://host:8890/sparql"
    print(result.sync)                            # added 0, replaced 1, kept 5, dropped 0
    print(result.extracted, result.cached)        # files extracted this time, files read from the cache

Embedded store (a directory): the records extracted from each file are kept in a cache inside the
store directory (``DIR/sendgraph-cache/``, one JSON file per file checksum, each written
atomically), so a file whose checksum has not changed is never extracted again. Cross-document
linking then reruns over all records, which is cheap, and the store is synced in one switch: a
document graph whose content changed is replaced, a new one added, one whose document is gone
dropped, the rest kept untouched (see :func:`sendgraph.store.sync_documents`). A build killed at
any point leaves the store as it was before, or as it is after, never a mix. Cache entries
are recorded with a fingerprint of the extraction code, so a new version of the extractor
re-extracts everything once.

Whether a graph is kept is decided by the checksum of its content (sorted N-Triples), not only of
its document: an unchanged document whose graph changes because linking with another document
changed (a person resolved differently, say) is replaced too, so the store always equals a full
rebuild.

``build(paths, DIR, add=True)`` (``sendgraph build --store DIR --add PATH...``) adds or replaces
the documents under ``paths`` and keeps the others: the store remembers the files of its documents
(``DIR/sendgraph-documents.json``: each file's path, source and checksum, and the folder graph
IRIs are relative to), so their records come from the cache as they were, without the files being
read again. A given file replaces the document of the same path.

Remote endpoint (a URL): the graph is built in memory and pushed (each graph replaced whole;
:func:`sendgraph.store.sync_remote`), and document graphs the build no longer has are dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from sendgraph import __version__, read
from sendgraph.graph import iri
from sendgraph.errors import InputError, StoreError, UsageError
from sendgraph.read.extract import iter_extract, iter_files, printable_path, read_bytes, sha256_bytes
from sendgraph.formats import counted
from sendgraph.graph.build import BuildSummary, build_graph, build_roots, summarise
from sendgraph.graph.files import sorted_ntriples
from sendgraph.io import write_text_atomic
from sendgraph.stores.target import StoreOption, parse_store_option
from sendgraph.stores.embedded import SyncReport, sync_documents
from sendgraph.graph.files import graphs_of
from sendgraph.stores.push import sync_remote

__all__ = ["CACHE_DIR", "BuildResult", "RecordCache", "build", "extractor_fingerprint"]

#: The folder inside an embedded store's directory that holds the extraction records cache.
CACHE_DIR = "sendgraph-cache"
#: The file inside an embedded store's directory listing the files its documents come from.
DOCUMENTS_FILE = "sendgraph-documents.json"
_DOCUMENTS_FORMAT = 1
#: The IRI prefix of every document graph (what a build may drop on a server).
DOCUMENT_GRAPHS = iri.ID + "graph/"
_CACHE_FORMAT = 1

# What extraction depends on besides the read subpackage: a change to any of these makes every
# cached record stale.
_EXTRACTOR_SHARED = ("gazetteer.py", "errors.py", "ontology.py", "vocab.py", "data/gazetteer.csv")

Progress = Callable[[str, str], None]


def extractor_files() -> list[Path]:
    """Every file extraction depends on: the read subpackage's modules, the shared modules it
    imports, the gazetteer and the theme scheme."""
    from sendgraph.ontology import ontology_file

    package = Path(read.__file__).resolve().parent.parent
    files = sorted((package / "read").glob("*.py")) + [package / name for name in _EXTRACTOR_SHARED]
    return files + [ontology_file("themes.ttl")]


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A checksum of the extraction code and data (and the PDF library's version): cached records
    made by another extractor are never reused."""
    from importlib import metadata

    package = Path(read.__file__).resolve().parent.parent
    digest = hashlib.sha256(f"sendgraph {__version__}\0cache {_CACHE_FORMAT}\0".encode())
    for path in extractor_files():
        digest.update(str(path.relative_to(package) if path.is_relative_to(package) else path.name).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"(missing)")
        digest.update(b"\0")
    try:
        digest.update(metadata.version("pypdfium2").encode())
    except metadata.PackageNotFoundError:
        pass
    return digest.hexdigest()


class RecordCache:
    """Extraction records by file checksum, one JSON file each under ``folder`` (written atomically)."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def _path(self, checksum: str) -> Path:
        return self.folder / f"{checksum}.json"

    def get(self, checksum: str) -> list | None:
        """The records of the file with this checksum, or None (not cached, unreadable, another extractor)."""
        try:
            entry = json.loads(self._path(checksum).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if (not isinstance(entry, dict) or entry.get("format") != _CACHE_FORMAT or entry.get("sha256") != checksum
                or entry.get("extractor") != extractor_fingerprint() or not isinstance(entry.get("records"), list)):
            return None
        return entry["records"]

    def put(self, checksum: str, records: list) -> None:
        entry = {"format": _CACHE_FORMAT, "sha256": checksum, "extractor": extractor_fingerprint(), "records": records}
        try:
            write_text_atomic(self._path(checksum), json.dumps(entry, ensure_ascii=False))
        except OSError as exc:
            raise StoreError(f"cannot write the record cache in {self.folder}: {exc.strerror or exc}") from exc

    def checksums(self) -> list[str]:
        try:
            return sorted(p.name[:-5] for p in self.folder.iterdir() if p.name.endswith(".json") and not p.name.startswith("."))
        except OSError:
            return []

    def prune(self, keep) -> None:
        """Remove the entries not in ``keep``, and temporary files left by a killed build."""
        keep = set(keep)
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return
        for path in entries:
            stale_tmp = path.name.startswith(".") and path.name.endswith(".tmp")
            if stale_tmp or (path.name.endswith(".json") and path.name[:-5] not in keep):
                try:
                    path.unlink()
                except OSError:
                    pass


@dataclass
class BuildResult:
    """What a build did.

    ``dataset`` is the built graph (None when no document could be read: then nothing was written
    anywhere); ``errors`` one InputError per file that could not be read; ``extracted`` the files
    extracted this time and ``cached`` those whose records came from the cache (embedded store
    only); ``sync`` what happened to the store's or server's document graphs (None in memory).
    """

    store: StoreOption
    files: int = 0
    dataset: object = None
    records: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    extracted: list = field(default_factory=list)
    cached: list = field(default_factory=list)
    sync: SyncReport | None = None
    summary: BuildSummary | None = None
    kept_files: list = field(default_factory=list)  # with add: the files of earlier builds kept
    added: bool = False

    def sync_line(self) -> str | None:
        """One line saying what happened to the store or server (None for a memory build)."""
        if self.sync is None:
            return None
        if self.store.kind == "remote":  # every graph is sent, the default graph (the links) too
            from sendgraph.stores.remote import Endpoint, safe_url

            return f"Pushed to {safe_url(Endpoint.parse(self.store.location).query_url)}: {self.sync}"
        before = self.sync.kept or self.sync.replaced or self.sync.dropped  # not a first build
        links = "; links between documents updated" if self.sync.default_replaced and before else ""
        kept = f"; {counted(len(self.kept_files), 'file')} of earlier builds kept" if self.added else ""
        return (f"Store {self.store.location}: {self.sync}{links} "
                f"({counted(len(self.extracted), 'file')} extracted, {len(self.cached)} from the cache{kept})")


def document_texts(dataset) -> tuple[dict, tuple | None]:
    """What a store sync takes: {graph name: (checksum, sorted N-Triples)} for the document graphs,
    and the same pair for the default graph (None when it is empty)."""
    documents, default = {}, None
    for name, graph in graphs_of(dataset):
        text = sorted_ntriples(graph)
        entry = (hashlib.sha256(text.encode("utf-8")).hexdigest(), text)
        if name is None:
            default = entry
        else:
            documents[name] = entry
    return documents, default


def _read_documents(folder: Path) -> dict | None:
    """The store's list of its documents' files (None if it has none: a store built before it was kept)."""
    try:
        entry = json.loads((folder / DOCUMENTS_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise StoreError(f"{folder / DOCUMENTS_FILE}: unreadable ({exc}): build the store once without --add") from None
    if not isinstance(entry, dict) or entry.get("format") != _DOCUMENTS_FORMAT or not isinstance(entry.get("files"), list):
        raise StoreError(f"{folder / DOCUMENTS_FILE}: not a list of documents: build the store once without --add")
    return entry


def _write_documents(folder: Path, roots: list, files: list) -> None:
    text = json.dumps({"format": _DOCUMENTS_FORMAT, "roots": roots, "files": files}, indent=1, ensure_ascii=False)
    try:
        write_text_atomic(folder / DOCUMENTS_FILE, text + "\n")
    except OSError as exc:
        raise StoreError(f"cannot write {folder / DOCUMENTS_FILE}: {exc.strerror or exc}") from exc


def _kept(earlier: dict, given: set, cache: RecordCache, result: BuildResult) -> tuple[list, list]:
    """(records, entries) of the files of earlier builds that this one does not replace, from the cache;
    a file whose records are no longer cached is read again, and is an error if that fails."""
    records, entries = [], []
    for entry in earlier["files"]:
        if not isinstance(entry, dict) or entry.get("path") in given:
            continue
        cached = cache.get(str(entry.get("sha256")))
        if cached is None:
            try:
                data = read_bytes(entry["path"])
                if sha256_bytes(data) != entry.get("sha256"):
                    raise InputError(entry["source"], "changed since it was built and no longer in the cache: "
                                                      "give it with --add to replace it")
                from sendgraph.read.extract import read_report

                cached = json.loads(json.dumps(read_report(entry["path"])))
                cache.put(entry["sha256"], cached)
            except InputError as exc:
                result.errors.append(InputError(entry.get("source", "?"), f"kept document cannot be read again: {exc.reason}"))
                continue
        records.extend(_with_source(cached, entry["source"]))
        entries.append(entry)
        result.kept_files.append(entry["source"])
    return records, entries


def build(paths, store="memory", *, jobs: int | None = 1, progress: Progress | None = None, add: bool = False,
          limits=None) -> BuildResult:
    """Extract the documents under ``paths``, link them, and put the graph in ``store``.

    ``store`` is a ``--store`` value or a :class:`~sendgraph.store.StoreOption`: ``memory`` (the
    result's ``dataset`` is all there is), a directory (an embedded store, built incrementally
    with the record cache) or an http(s) URL (pushed to that SPARQL endpoint). Files that cannot
    be read are ``errors`` and left out, as in any build; when no document can be read, nothing is
    written and ``dataset`` is None.

    ``progress(event, detail)`` hears ``files`` (how many), ``extracted``/``cached`` (each file),
    ``staged`` (each graph loaded into the store), ``committing``, ``pushed`` and ``dropped``.
    With ``add`` (an embedded store only) the documents under ``paths`` are added or replace those
    of the same files, and the store's other documents are kept (``result.kept_files``).
    ``jobs`` worker processes read the files; None: one per processor when there are
    :data:`~sendgraph.read.extract.MANY_FILES` files or more to read (see ``default_jobs``), else one.
    Raises StoreError (or its PushError) when the store or server fails.
    """
    option = store if isinstance(store, StoreOption) else parse_store_option(store)
    if add and option.kind != "disk":
        raise UsageError("--add needs --store DIR (an embedded store)")
    emit = progress or (lambda event, detail: None)
    files, errors = iter_files(paths)
    result = BuildResult(option, files=len(files), errors=list(errors), added=add)
    emit("files", str(len(files)))
    handle = option.open() if option.kind == "disk" else None  # the store's lock is held from here on
    try:
        folder = Path(option.location) if handle is not None else None
        cache = RecordCache(folder / CACHE_DIR) if handle is not None else None
        earlier = _read_documents(folder) if add else None
        if add and earlier is None and graphs_in(handle):
            raise StoreError(f"{folder}: this store does not list its documents' files (built by an earlier "
                             "version): build it once without --add")
        per_file = _read(files, cache, jobs, emit, result, limits)
        roots = build_roots(paths)
        kept_records, kept_entries = [], []
        if earlier is not None:
            given = {os.path.abspath(files[i]) for i, _ in per_file}
            kept_records, kept_entries = _kept(earlier, given, cache, result)
            if kept_entries:  # the kept documents keep their names: the earlier builds' paths come first
                before = earlier.get("roots") or ([earlier["root"]] if earlier.get("root") else [])
                roots = before + [r for r in roots if r not in before]
        result.records = kept_records + [record for _, records in per_file for record in records]
        if not result.records:
            return result
        dataset = build_graph(result.records, root=roots)
        result.dataset = dataset
        if handle is not None:
            documents, default = document_texts(dataset)
            result.sync = sync_documents(handle, documents, default=default, progress=emit)
            cache.prune({r.get("sha256") for r in result.records})
            entries = kept_entries + [{"path": os.path.abspath(files[i]), "source": printable_path(files[i]),
                                       "sha256": records[0].get("sha256")} for i, records in per_file if records]
            _write_documents(folder, roots, entries)
        elif option.kind == "remote":
            result.sync = sync_remote(dataset, option.location, DOCUMENT_GRAPHS, progress=emit)
        result.summary = summarise(dataset)
        return result
    finally:
        del handle  # closes the store (and frees its lock) even when an error is on its way out


def _with_source(records: list, path) -> list:
    """Cached records of a file as if read from ``path`` now (its ``source``, with ``#n`` for several)."""
    source = printable_path(path)
    out = []
    for n, record in enumerate(records):
        record = dict(record)
        record["source"] = source if len(records) == 1 else f"{source}#{n + 1}"
        out.append(record)
    return out


def graphs_in(store) -> bool:
    from sendgraph.stores.embedded import graphs

    return bool(graphs(store))


def _read(files: list, cache: RecordCache | None, jobs: int | None, emit: Progress, result: BuildResult, limits=None) -> list:
    """(file index, records) of every file read, in file order: from the cache where its checksum is
    known, else extracted."""
    by_file: dict[int, list] = {}
    to_extract: list[int] = []
    same_as: dict[int, int] = {}  # a file with the same bytes as one being extracted: copied from it
    first_of: dict[str, int] = {}
    for index, path in enumerate(files):
        if cache is None:
            to_extract.append(index)
            continue
        try:
            checksum = sha256_bytes(read_bytes(path))
        except InputError:
            to_extract.append(index)  # extraction names the reason, as in any build
            continue
        records = cache.get(checksum)
        if records is not None:
            by_file[index] = _with_source(records, path)
            result.cached.append(printable_path(path))
            emit("cached", printable_path(path))
        elif checksum in first_of:
            same_as[index] = first_of[checksum]
        else:
            first_of[checksum] = index
            to_extract.append(index)
    # Each file's records are cached as soon as it is done: a killed build leaves the work it
    # finished for the next one.
    failed: dict[int, InputError] = {}
    for position, records, error in iter_extract([files[i] for i in to_extract], jobs, limits):
        i = to_extract[position]
        emit("extracted", printable_path(files[i]))
        if error is not None:
            failed[i] = error
            continue
        if not records:
            continue
        records = json.loads(json.dumps(records))  # exactly what the cache gives back next time
        by_file[i] = records
        if cache is not None and records[0].get("sha256"):
            cache.put(records[0]["sha256"], records)
    result.extracted.extend(printable_path(files[i]) for i in to_extract)  # in file order, as errors are
    result.errors.extend(failed[i] for i in sorted(failed))
    for index, original in same_as.items():
        if original in by_file:
            by_file[index] = _with_source(by_file[original], files[index])
            result.cached.append(printable_path(files[index]))
    return [(index, by_file[index]) for index in range(len(files)) if by_file.get(index)]
