"""File-name stems of the site's pages: safe, readable and unique."""

from __future__ import annotations

import re
import unicodedata

from sendgraph.site.style import _one_line


def slugify(text, taken: set | None = None) -> str:
    """A file-name-safe stem (lower-case ASCII letters, digits and hyphens), unique within ``taken``."""
    ascii_text = unicodedata.normalize("NFKD", _one_line(text)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-") or "view"
    if taken is not None:
        base, i = slug, 2
        while slug in taken or slug == "index":
            slug = f"{base}-{i}"
            i += 1
        taken.add(slug)
    return slug
