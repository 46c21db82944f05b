"""Where the tests find the bundled data and the development corpus of real report PDFs."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "data"
GOLDEN = Path(__file__).resolve().parent.parent / "golden"
CORPUS = Path(os.environ.get("SENDGRAPH_CORPUS", ROOT.parent / "shared" / "corpus"))


def corpus_pdf(name: str) -> Path:
    """A corpus PDF by stem; fails (never skips) when the corpus is missing."""
    path = CORPUS / f"{name}.pdf"
    assert path.is_file(), f"corpus PDF missing: {path} (set SENDGRAPH_CORPUS to the folder of report PDFs)"
    return path
