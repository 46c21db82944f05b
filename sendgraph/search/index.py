"""The search index: one row per finding (its quote, area, date, kind, themes, outcome, source), in SQLite FTS5, ranked by BM25.

    index = SearchIndex()                      # in memory; SearchIndex(path) keeps it in a file
    index.update(finding_rows(graph))          # re-indexes only the documents whose findings changed
    hits = index.query("waiting times for autism assessment", kind="weakness", limit=10)

SQLite's FTS5 (in Python's standard library) does the ranking (BM25), stemming (Porter: "assessments"
finds "assessment") and phrases; sendgraph only turns the user's words into a query that cannot be
read as FTS5 syntax (:mod:`sendgraph.search.text`) and resolves the filters (area, kind, theme,
outcome) as the analysis commands resolve names, with the same "did you mean" errors.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

from sendgraph.analysis.network import area_of_finding, find_area, find_theme, findings
from sendgraph.errors import GraphError, UsageError
from sendgraph.graph.projection import as_view
from sendgraph.search.text import fts_query
from sendgraph.vocab import FINDING_KINDS, OUTCOMES

#: The framework of each kind of inspection.
FRAMEWORKS = {"AreaSendInspection": "2023", "JointLocalAreaInspection": "2016", "Revisit": "2016"}
_FORMAT = 2  # the index file's layout; another layout is rebuilt
_COLUMNS = ("text", "finding", "document", "area", "area_name", "date", "kind", "kind_label", "themes",
            "theme_labels", "outcome", "outcome_label", "framework", "source", "source_title", "paragraph")
MARK = ("**", "**")  # how matched words are marked in a hit's ``marked`` quote


@dataclass
class SearchHit:
    """One finding found: its rank (1 = best), score (BM25, lower is better) and what it says."""

    rank: int
    score: float
    finding: str
    area_name: str
    date: str
    kind: str
    kind_label: str
    themes: list
    theme_labels: list
    outcome: str
    outcome_label: str
    framework: str
    quote: str
    marked: str
    source: str
    source_title: str
    paragraph: int | None

    def as_dict(self) -> dict:
        return asdict(self)


def finding_rows(graph) -> list[dict]:
    """One row per finding of a graph (an RDF graph or its NetworkX projection), in IRI order."""
    G = as_view(graph)
    labels = {d.get("code"): d.get("label") for _, d in G.nodes(data=True) if d.get("kind") == "theme"}
    rows = []
    for node in sorted(findings(G)):
        data = G.nodes[node]
        inspection = G.nodes[data["inspection"]] if data.get("inspection") in G else {}
        area = area_of_finding(G, node)
        source = data.get("source") or ""
        source_data = G.nodes[source] if source in G else {}
        themes = list(data.get("themes") or [])
        rows.append({
            "text": data.get("quote") or data.get("text") or "",
            "finding": node,
            "document": source or node,
            "area": area or "",
            "area_name": G.nodes[area]["label"] if area in G else "",
            "date": inspection.get("start_date") or source_data.get("date") or "",
            "kind": data.get("finding_kind") or "other",
            "kind_label": data.get("kind_label") or "",
            "themes": " ".join(themes),
            "theme_labels": "; ".join(labels.get(t) or t for t in themes),
            "outcome": inspection.get("outcome") or "",
            "outcome_label": inspection.get("outcome_label") or "",
            "framework": FRAMEWORKS.get(inspection.get("inspection_type") or "", ""),
            "source": source,
            "source_title": source_data.get("title") or source_data.get("label") or "",
            "paragraph": data.get("paragraph"),
        })
    return rows


class SearchIndex:
    """Findings in an SQLite FTS5 table, in memory or in a file (kept beside an embedded store)."""

    def __init__(self, path=None):
        self.path = Path(path) if path is not None else None
        try:
            self.db = sqlite3.connect(str(self.path) if self.path else ":memory:")
            self._prepare()
        except sqlite3.DatabaseError:
            if self.path is None:
                raise
            self.db.close()  # not an index of this layout (or damaged): start again
            self.path.unlink(missing_ok=True)
            self.db = sqlite3.connect(str(self.path))
            self._prepare()

    def _prepare(self) -> None:
        db = self.db
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        found = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if found is not None and found[0] != str(_FORMAT):
            db.execute("DROP TABLE IF EXISTS findings")
            db.execute("DROP TABLE IF EXISTS documents")
            db.execute("DROP TABLE IF EXISTS row_documents")
        columns = ", ".join([_COLUMNS[0]] + [f"{c} UNINDEXED" for c in _COLUMNS[1:]])
        db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS findings USING fts5({columns}, tokenize='porter unicode61')")
        db.execute("CREATE TABLE IF NOT EXISTS documents (document TEXT PRIMARY KEY, digest TEXT)")
        # Which document each indexed row belongs to, by rowid: a document's rows are found by this
        # index, never by scanning the full-text table (whose UNINDEXED columns cannot be searched fast).
        db.execute("CREATE TABLE IF NOT EXISTS row_documents (id INTEGER PRIMARY KEY, document TEXT NOT NULL)")
        db.execute("CREATE INDEX IF NOT EXISTS row_documents_by_document ON row_documents (document)")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (str(_FORMAT),))
        db.commit()

    def close(self) -> None:
        self.db.close()

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM findings").fetchone()[0]

    def update(self, rows: list[dict]) -> dict:
        """Make the index hold exactly these rows, re-indexing only the documents whose rows changed.

        Returns counts of documents ``added``, ``replaced``, ``kept`` and ``dropped``."""
        by_document: dict[str, list[dict]] = {}
        for row in rows:
            by_document.setdefault(row["document"], []).append(row)
        digests = {doc: hashlib.sha256(json.dumps(found, sort_keys=True).encode()).hexdigest()
                   for doc, found in by_document.items()}
        known = dict(self.db.execute("SELECT document, digest FROM documents"))
        counts = {"added": 0, "replaced": 0, "kept": 0, "dropped": 0}
        with self.db:  # one transaction: a killed update leaves the index as it was
            for doc in sorted(set(known) - set(digests)):
                self._forget(doc)
                self.db.execute("DELETE FROM documents WHERE document = ?", (doc,))
                counts["dropped"] += 1
            (next_id,) = self.db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM row_documents").fetchone()
            insert = (f"INSERT INTO findings (rowid, {', '.join(_COLUMNS)}) "
                      f"VALUES (?, {', '.join('?' * len(_COLUMNS))})")
            for doc in sorted(digests):
                if known.get(doc) == digests[doc]:
                    counts["kept"] += 1
                    continue
                counts["replaced" if doc in known else "added"] += 1
                if doc in known:
                    self._forget(doc)
                ids = range(next_id, next_id + len(by_document[doc]))
                next_id += len(by_document[doc])
                self.db.executemany(insert, [(i, *(row[c] for c in _COLUMNS)) for i, row in zip(ids, by_document[doc])])
                self.db.executemany("INSERT INTO row_documents VALUES (?, ?)", [(i, doc) for i in ids])
                self.db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?)", (doc, digests[doc]))
        return counts

    def _forget(self, doc: str) -> None:
        """Remove one document's rows (found through row_documents' index)."""
        self.db.execute("DELETE FROM findings WHERE rowid IN (SELECT id FROM row_documents WHERE document = ?)", (doc,))
        self.db.execute("DELETE FROM row_documents WHERE document = ?", (doc,))

    def values(self, column: str) -> list[str]:
        """The distinct values of one column (for resolving filters)."""
        assert column in _COLUMNS
        return sorted({v for (v,) in self.db.execute(f"SELECT DISTINCT {column} FROM findings") if v})

    def query(self, text: str, *, area: str | None = None, kind: str | None = None, theme: str | None = None,
              outcome: str | None = None, framework: str | None = None, limit: int = 20) -> list[SearchHit]:
        """Findings matching every word (and phrase) of ``text``, best first; filters are codes or IRIs
        already resolved (:func:`search` resolves names)."""
        where, args = ["findings MATCH ?"], [fts_query(text)]
        for column, value in (("area", area), ("kind", kind), ("outcome", outcome), ("framework", framework)):
            if value:
                where.append(f"{column} = ?")
                args.append(value)
        if theme:
            where.append("(' ' || themes || ' ') LIKE ?")
            args.append(f"% {theme} %")
        sql = (f"SELECT bm25(findings), highlight(findings, 0, ?, ?), {', '.join(_COLUMNS)} FROM findings "
               f"WHERE {' AND '.join(where)} ORDER BY bm25(findings), finding LIMIT ?")
        try:
            found = self.db.execute(sql, [*MARK, *args, max(1, int(limit))]).fetchall()
        except sqlite3.OperationalError as exc:  # the query text is quoted, so this is not expected
            raise UsageError(f"cannot search for {str(text)[:60]!r}: {exc}") from exc
        hits = []
        for rank, (score, marked, *values) in enumerate(found, 1):
            row = dict(zip(_COLUMNS, values))
            hits.append(SearchHit(
                rank=rank, score=round(score, 4), finding=row["finding"], area_name=row["area_name"], date=row["date"],
                kind=row["kind"], kind_label=row["kind_label"], themes=row["themes"].split(),
                theme_labels=[t for t in row["theme_labels"].split("; ") if t], outcome=row["outcome"],
                outcome_label=row["outcome_label"], framework=row["framework"], quote=row["text"], marked=marked,
                source=row["source"], source_title=row["source_title"], paragraph=row["paragraph"]))
        return hits


def _pick(value: str, choices: dict, what: str) -> str:
    """The code of ``value`` among ``choices`` ({code: label}), matched on code or label; else UsageError."""
    wanted = " ".join(str(value).replace("_", " ").replace("-", " ").split()).lower()
    for code, label in choices.items():
        if wanted in (code.replace("_", " ").replace("-", " ").lower(), (label or "").lower()):
            return code
    names = sorted(set(choices) | {label for label in choices.values() if label})
    close = difflib.get_close_matches(str(value), names, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; use one of {', '.join(sorted(choices))}"
    raise UsageError(f"unknown {what} {str(value)[:60]!r}{hint}")


def search(graph, text: str, *, area: str | None = None, kind: str | None = None, theme: str | None = None,
           outcome: str | None = None, framework: str | None = None, limit: int = 20,
           index: SearchIndex | None = None) -> list[SearchHit]:
    """Search a graph's findings: ``text`` in the user's words, filters in the words the analysis
    commands accept (an area as councils print it, a theme's code or label, a kind or outcome's code
    or label, framework 2016 or 2023). ``index`` is an index already holding the graph's rows (a
    store's); without one an index is made in memory. UsageError for an unknown filter value."""
    G = as_view(graph)
    fts_query(text)  # refuse an empty query before any work
    area_iri = find_area(G, area) if area else None
    theme_code = find_theme(G, theme) if theme else None
    kinds = {k: None for k in FINDING_KINDS}
    kinds.update({d.get("finding_kind"): d.get("kind_label") for _, d in G.nodes(data=True) if d.get("kind") == "finding"})
    kind_code = _pick(kind, kinds, "finding kind") if kind else None
    outcomes = {o: None for o in OUTCOMES}
    outcomes.update({d["outcome"]: d.get("outcome_label") for _, d in G.nodes(data=True)
                     if d.get("kind") == "inspection" and d.get("outcome")})
    outcome_code = _pick(outcome, outcomes, "outcome") if outcome else None
    if framework and str(framework) not in ("2016", "2023"):
        raise UsageError(f"unknown framework {str(framework)[:20]!r}: use 2016 or 2023")
    own = index is None
    if own:
        index = SearchIndex()
        index.update(finding_rows(G))
    try:
        return index.query(text, area=area_iri, kind=kind_code, theme=theme_code, outcome=outcome_code,
                           framework=framework, limit=limit)
    finally:
        if own:
            index.close()


def store_index(store_dir, graph) -> SearchIndex:
    """The search index kept beside an embedded store (``DIR/sendgraph-search.sqlite``), brought up to
    date with the store's graph (only changed documents are re-indexed)."""
    folder = Path(store_dir)
    if not folder.is_dir():
        raise GraphError(f"{folder}: no such store")
    index = SearchIndex(folder / INDEX_FILE)
    index.update(finding_rows(graph))
    return index


INDEX_FILE = "sendgraph-search.sqlite"


def as_result(hits: list[SearchHit], text: str, fmt: str = "table") -> dict:
    """A search's hits as a result for :func:`sendgraph.formats.render`: words for people in a table
    (matched words marked ``**so**``), codes and labels both in CSV and JSON."""
    if fmt == "table":
        rows = [{"rank": h.rank, "area": h.area_name, "date": h.date, "kind": h.kind_label or h.kind,
                 "themes": ", ".join(h.theme_labels), "quote": h.marked,
                 "source": f"{h.source_title}, paragraph {h.paragraph}" if h.paragraph is not None else h.source_title}
                for h in hits]
    else:
        rows = [{k: v for k, v in h.as_dict().items() if k != "marked"} for h in hits]
        if fmt == "csv":
            rows = [{k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()} for row in rows]
    return {"query": " ".join(str(text).split())[:200], "found": len(hits), "findings": rows}


def search_store(store_dir, text: str, **filters) -> list[SearchHit]:
    """Search an embedded store's findings with the index kept beside it (updated first)."""
    from sendgraph.graph.oxstore import oxigraph_dataset
    from sendgraph.stores.embedded import open_store
    from sendgraph.vocab import PREFIXES

    store = open_store(store_dir, read_only=True)
    try:
        dataset = oxigraph_dataset(store, PREFIXES)
        index = store_index(store_dir, dataset)
        try:
            return search(dataset, text, index=index, **filters)
        finally:
            index.close()
    finally:
        del store
