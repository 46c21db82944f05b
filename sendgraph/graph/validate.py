"""SHACL validation of a built graph against ontology/shapes.ttl."""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH

from sendgraph.errors import GraphError
from sendgraph.formats import counted
from sendgraph.ontology import ontology_file
from sendgraph.vocab import PREFIXES

_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


def shapes_graph() -> Graph:
    path = ontology_file("shapes.ttl")
    if not path.is_file():
        raise GraphError(f"{path}: the SHACL shapes file is missing")
    shapes = Graph()
    shapes.parse(path, format="turtle")
    return shapes


def ontology_graph() -> Graph:
    """sendgraph.ttl and themes.ttl: mixed into the data so concept values can be checked against their schemes."""
    ontology = Graph()
    for name in ("sendgraph.ttl", "themes.ttl"):
        path = ontology_file(name)
        if path.is_file():
            ontology.parse(path, format="turtle")
    return ontology


def _union(graph) -> Graph:
    """The union of all named graphs of a dataset as one plain graph (SHACL validates one data graph)."""
    union = Graph()
    for triple in graph.triples((None, None, None)):
        union.add(triple)
    return union


def validate(graph) -> tuple[bool, str]:
    """(conforms, readable report) of a graph or dataset against the shipped SHACL shapes.

    The report lists one violation per paragraph: the focus node, the property path, the value and
    the message, sorted so that the same graph gives the same report.
    """
    from pyshacl import validate as shacl_validate

    data = _union(graph)
    for triple in ontology_graph():
        data.add(triple)
    conforms, results_graph, _text = shacl_validate(
        data, shacl_graph=shapes_graph(), inference="none", advanced=False, abort_on_first=False,
        allow_warnings=True,
    )
    return bool(conforms), format_results(results_graph, conforms)


def _short(term, graph: Graph) -> str:
    if term is None:
        return "-"
    if isinstance(term, URIRef):
        try:
            prefix, namespace, name = graph.namespace_manager.compute_qname(str(term), generate=False)
            return f"{prefix}:{name}" if prefix else f"<{term}>"
        except (ValueError, KeyError, Exception):
            return f"<{term}>"
    if isinstance(term, Literal):
        value = str(term)
        return repr(value if len(value) <= 80 else value[:77] + "...")
    return str(term)


def format_results(results: Graph, conforms: bool) -> str:
    """The validation results as readable text."""
    names = Graph()
    for prefix in ("sg", "foaf", "org", "prov", "oa", "skos", "dcterms", "rdfs"):
        names.bind(prefix, PREFIXES[prefix])
    entries = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        severity = _SEVERITY.get(results.value(result, SH.resultSeverity), "violation")
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        component = results.value(result, SH.sourceConstraintComponent)
        component = str(component).rsplit("#", 1)[-1] if component else ""
        lines = [f"{severity}: {_short(focus, names)}"]
        if path is not None:
            lines.append(f"  property: {_short(path, names)}")
        if value is not None:
            lines.append(f"  value: {_short(value, names)}")
        lines.append(f"  problem: {messages[0] if messages else component}" + (f" ({component})" if messages and component else ""))
        entries.append("\n".join(lines))
    entries = sorted(set(entries))
    if conforms and not entries:
        return "The graph conforms to the sendgraph shapes."
    head = "The graph conforms to the sendgraph shapes, with notes:" if conforms else (
        f"The graph does not conform: {counted(len(entries), 'problem')}.")
    return head + "\n\n" + "\n\n".join(entries)
