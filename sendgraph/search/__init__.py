"""Search: ranked full-text search over the findings (SQLite FTS5 with BM25, Porter stemming, phrases and field filters)."""

from sendgraph.search.index import SearchHit, SearchIndex, finding_rows, search

__all__ = ["SearchHit", "SearchIndex", "finding_rows", "search"]
