"""Regenerate the CLI reference block of README.md from the commands' --help."""

from pathlib import Path

from sendgraph.clidoc import cli_reference, replace_reference

README = Path(__file__).resolve().parent.parent / "README.md"

if __name__ == "__main__":
    README.write_text(replace_reference(README.read_text(encoding="utf-8"), cli_reference()), encoding="utf-8")
    print("updated", README)
