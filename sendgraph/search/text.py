"""A user's search words turned into a safe FTS5 query: words and "quoted phrases", English stop words dropped, every term quoted."""

from __future__ import annotations

import re

from sendgraph.errors import UsageError

#: Common English words that say nothing about a finding (a query made only of them is refused).
STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves say says said inspectors inspector
""".split())
_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
MAX_QUERY = 500  # characters of a query that are read


def query_terms(text: str) -> list[list[str]]:
    """The query's terms: each a list of words (one word, or a quoted phrase's words)."""
    terms = []
    for phrase, word in _PHRASE_OR_WORD.findall(str(text or "")[:MAX_QUERY]):
        words = [w.lower() for w in _WORD.findall(phrase if phrase else word)]
        if not phrase:
            words = [w for w in words if w not in STOP_WORDS]
            terms.extend([w] for w in words)
        elif words:
            terms.append(words)
    return terms


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression for a user's query: every word must occur (AND), phrases as phrases.

    Words are double-quoted, so no character the user types is read as FTS5 syntax. UsageError when
    nothing searchable is left (only stop words or punctuation).
    """
    terms = query_terms(text)
    if not terms:
        shown = " ".join(str(text or "").split())[:60]
        raise UsageError(f"nothing to search for in {shown!r}: give words that occur in findings")
    return " AND ".join('"' + " ".join(words) + '"' for words in terms)


def marked_words(text: str) -> set[str]:
    """The words of a query, for marking them in results."""
    return {w for words in query_terms(text) for w in words}
