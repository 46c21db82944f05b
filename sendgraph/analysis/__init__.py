"""Analysis: the graph projected into NetworkX, and the analyses over it (inspectors, themes, compare, history, neighbours)."""
