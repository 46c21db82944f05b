"""The house in rooms: subpackages by stage, no import circle, no module too large, and the README's
"How it is built" names every subpackage."""

import ast
import re

import networkx as nx

from support.paths import ROOT

PACKAGE = ROOT / "sendgraph"
MAX_LINES = 900


def _module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path, name):
    """The sendgraph modules a module imports (at its top or inside functions)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("sendgraph"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if base.startswith("sendgraph"):
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    found.add(candidate if (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).exists()
                              or (PACKAGE.parent / candidate.replace(".", "/")).is_dir() else base)
    return found


def import_graph() -> nx.DiGraph:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        for target in _imports(path, name):
            if target in modules and target != name:
                graph.add_edge(name, target)
    return graph


def test_no_import_circle_among_the_modules():
    graph = import_graph()
    assert graph.number_of_nodes() > 30 and graph.has_edge("sendgraph.cli", "sendgraph.errors")
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], cycles[:5]


def test_stages_import_only_earlier_stages():
    order = ["read", "graph", "analysis", "stores", "search", "site"]  # a stage may import the ones before it
    graph = import_graph()
    wrong = []
    for source, target in graph.edges:
        s, t = source.split("."), target.split(".")
        if len(s) > 2 and len(t) > 2 and s[1] in order and t[1] in order and order.index(t[1]) > order.index(s[1]):
            wrong.append((source, target))
    assert wrong == []


def test_every_module_is_small_and_says_what_it_is():
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert text.count("\n") <= MAX_LINES, f"{path.relative_to(ROOT)}: {text.count(chr(10))} lines"
        doc = ast.get_docstring(ast.parse(text))
        assert doc and doc.splitlines()[0].strip(), f"{path.relative_to(ROOT)} has no docstring"


def test_readme_how_it_is_built_names_every_subpackage():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How it is built", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`sendgraph/(\w+)/`", section))
    subpackages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert named == subpackages, (named ^ subpackages)
    for sub in subpackages:  # each subpackage's own one-line docstring says what it owns
        assert ast.get_docstring(ast.parse((PACKAGE / sub / "__init__.py").read_text(encoding="utf-8")))
