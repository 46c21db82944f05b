"""Regenerate README.md's generated blocks: the CLI reference (from --help) and the example outputs on data/."""

import tempfile
from pathlib import Path

from sendgraph.clidoc import EXAMPLES_END, EXAMPLES_START, cli_reference, examples, replace_block, replace_reference
from sendgraph.read.extract import extract_paths
from sendgraph.graph.build import build_graph
from sendgraph.graph.files import write_graph

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def example_block() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sendgraph.ttl"
        write_graph(build_graph(extract_paths([ROOT / "data"]).records), path)
        return examples(path)


if __name__ == "__main__":
    text = replace_reference(README.read_text(encoding="utf-8"), cli_reference())
    text = replace_block(text, EXAMPLES_START, EXAMPLES_END, example_block())
    README.write_text(text, encoding="utf-8")
    print("updated", README)
