"""sendgraph: England's local-area SEND inspection reports as a knowledge graph."""

__version__ = "0.1.0"
