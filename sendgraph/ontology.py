"""Where the shipped ontology files live: the one function that locates them."""

from __future__ import annotations

from pathlib import Path


def ontology_dir() -> Path:
    """The folder holding sendgraph.ttl, themes.ttl and shapes.ttl.

    In a source checkout this is the top-level ``ontology/``; in an installed wheel it is the
    ``ontology`` folder mapped into the package as package data.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "ontology", here.parent / "ontology"):
        if (candidate / "themes.ttl").is_file() or (candidate / "sendgraph.ttl").is_file():
            return candidate
    return here.parent / "ontology"


def ontology_file(name: str) -> Path:
    """Path of one shipped ontology file, e.g. ``ontology_file("themes.ttl")``."""
    return ontology_dir() / name
