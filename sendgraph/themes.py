"""Theme and service tagging stub: replaced by the real tagger."""


def tag_findings(findings: list) -> None:
    """Fill each finding's themes and services in place."""
