"""The graph: records linked into RDF (IRIs, entity resolution, the builder), its files, SHACL validation and exports."""
