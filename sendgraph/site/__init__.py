"""The site: HTML pages of the graph that work offline."""
