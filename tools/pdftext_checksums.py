"""The SHA-256 of pdf_text for every corpus PDF: write the list, or compare the current text with it.

Usage:
  python tools/pdftext_checksums.py write [FILE]     # tests/golden/pdftext.sha256 by default
  python tools/pdftext_checksums.py check [FILE]     # exit 1 and name the PDFs whose text changed
  python tools/pdftext_checksums.py dump FOLDER      # the texts themselves, one .txt per PDF (to diff)

The corpus is $SENDGRAPH_CORPUS, else ../shared/corpus next to the repository. The list is what
tests/test_pdftext.py compares against: a change to the layout code must leave every text byte-identical,
or say why in a test and write the list again.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "tests" / "golden" / "pdftext.sha256"


def corpus() -> Path:
    return Path(os.environ.get("SENDGRAPH_CORPUS", ROOT.parent / "shared" / "corpus"))


def texts():
    from sendgraph.read.pdftext import pdf_text

    for path in sorted(corpus().glob("*.pdf")):
        yield path, pdf_text(path.read_bytes(), path)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def read_list(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            value, name = line.split(None, 1)
            out[name] = value
    return out


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("write", "check", "dump"):
        print(__doc__, file=sys.stderr)
        return 2
    command, target = argv[0], Path(argv[1]) if len(argv) > 1 else DEFAULT
    if command == "dump":
        target.mkdir(parents=True, exist_ok=True)
        for path, text in texts():
            (target / f"{path.stem}.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
        return 0
    current = {path.name: digest(text) for path, text in texts()}
    if command == "write":
        lines = ["# sha256 of sendgraph.read.pdftext.pdf_text (UTF-8) per corpus PDF: tools/pdftext_checksums.py"]
        lines += [f"{value}  {name}" for name, value in sorted(current.items())]
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(current)} checksums written to {target}")
        return 0
    expected = read_list(target)
    changed = sorted(name for name in expected if current.get(name) != expected[name])
    missing = sorted(set(expected) - set(current))
    for name in changed:
        print(f"changed: {name}" + (" (not in the corpus)" if name in missing else ""))
    print(f"{len(expected) - len(changed)} of {len(expected)} texts identical")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
