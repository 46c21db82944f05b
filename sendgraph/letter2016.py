"""Parser stub: replaced by the real parser."""

from .records import new_record


def parse(paras: list[str]) -> dict:
    """A record from the paragraphs of one document."""
    return new_record()
