"""Pages from Jinja2 templates (autoescape on), each self-contained: its stylesheet and scripts inlined and allowed by hash in a Content-Security-Policy that forbids every request."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import lru_cache
from importlib import resources

import jinja2
from markupsafe import Markup

from sendgraph.errors import GraphError
from sendgraph.formats import counted


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """A file of the site's static folder (stylesheet or script), checked safe to inline."""
    try:
        text = (resources.files("sendgraph.site") / "static" / name).read_text(encoding="utf-8")
    except OSError as exc:  # pragma: no cover - a broken install
        raise GraphError(f"site asset {name} is missing from the package: {exc}") from exc
    if re.search(r"</(script|style)|<!--", text, re.IGNORECASE):  # pragma: no cover - checked when assets change
        raise GraphError(f"site asset {name} cannot be inlined safely (holds a closing tag)")
    return text


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(scripts: tuple[str, ...] = (), styles: tuple[str, ...] = ()) -> str:
    """Nothing may be fetched; only the page's own scripts and stylesheets (by hash) apply.

    Styles that scripts set through the DOM (vis-network positions its tooltip so) are not
    governed by ``style-src``.
    """
    script_src = " ".join(csp_hash(s) for s in scripts) or "'none'"
    style_src = " ".join(csp_hash(s) for s in styles) or "'none'"
    return (
        "default-src 'none'; "
        f"script-src {script_src}; "
        f"style-src {style_src}; "
        "img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def json_for_script(value) -> str:
    """JSON that can sit inside a <script> element: no '<', '>' or '&' (so no '</script' or '<!--')."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sendgraph.site", "templates"),
        autoescape=True,  # every template: document text is data, never markup
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["counted"] = counted
    return env


def render_page(template: str, *, styles: tuple[str, ...] = ("site.css",), scripts: tuple[str, ...] = (),
                style_texts: tuple[str, ...] = (), script_texts: tuple[str, ...] = (),
                data=None, **context) -> str:
    """One page: ``template`` with ``context``; the named static ``styles`` and ``scripts`` inlined
    after any ``style_texts`` and ``script_texts`` given whole (a library's own files), scripts after
    the JSON ``data`` block they read."""
    style_texts = tuple(style_texts) + tuple(asset(name) for name in styles)
    script_texts = tuple(script_texts) + tuple(asset(name) for name in scripts)
    page = environment().get_template(template).render(
        csp=csp(script_texts, style_texts),
        styles=[Markup(s) for s in style_texts],
        scripts=[Markup(s) for s in script_texts],
        data_json=Markup(json_for_script(data)) if data is not None else None,
        **context,
    )
    return page
