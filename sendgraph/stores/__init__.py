"""Stores and SPARQL: named queries and parameter binding, the embedded store, incremental builds, servers and push."""
