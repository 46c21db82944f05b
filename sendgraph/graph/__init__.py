"""The graph: records linked into RDF (IRIs, entity resolution, the builder), its files, SHACL validation and exports."""

from sendgraph.graph.build import build_graph, summarise
from sendgraph.graph.files import load_graph, serialise, sorted_nquads, sorted_ntriples, write_graph

__all__ = ["build_graph", "load_graph", "serialise", "sorted_nquads", "sorted_ntriples", "summarise", "write_graph"]
