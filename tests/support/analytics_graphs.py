"""The graphs the analytics tests share, built once per test session: data/, and the 29 corpus PDFs plus data/."""

from __future__ import annotations

from functools import lru_cache

from support.paths import CORPUS, DATA

from sendgraph.read.extract import extract_paths
from sendgraph.graph.build import build_graph
from sendgraph.graph.projection import to_networkx


def _build(paths):
    result = extract_paths(paths, jobs=2)
    assert not result.errors, [str(e) for e in result.errors]
    return build_graph(result.records)


@lru_cache(maxsize=1)
def data_dataset():
    """The rdflib Dataset of data/."""
    return _build([DATA])


@lru_cache(maxsize=1)
def data_view():
    """The NetworkX view of data/."""
    return to_networkx(data_dataset())


@lru_cache(maxsize=1)
def corpus_records():
    """The extraction records of the 29 corpus PDFs plus data/ (fails, never skips, without the corpus)."""
    pdfs = sorted(CORPUS.glob("*.pdf"))
    assert len(pdfs) == 29, f"expected the 29 corpus PDFs in {CORPUS}, found {len(pdfs)}"
    result = extract_paths([DATA, *pdfs], jobs=2)
    assert not result.errors, [str(e) for e in result.errors]
    return result.records


@lru_cache(maxsize=1)
def corpus_dataset():
    """The rdflib Dataset of the 29 corpus PDFs plus data/."""
    return build_graph(corpus_records())


@lru_cache(maxsize=1)
def corpus_view():
    return to_networkx(corpus_dataset())
