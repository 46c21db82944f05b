"""Headless Chromium for the browser tests: Debian's ``chromium`` driven by Playwright, offline.

Every request a page makes goes through a route that records it and, unless it is the page's own
file, aborts it; ``Visit.external_requests`` lists them. Console errors, page errors and dialogs
(``alert``/``confirm``/``prompt``) are recorded too. Browser downloads are impossible here, so this
never runs ``playwright install``: the browser is the system's (``make test`` installs it through
``tools/sysdeps.sh``). When it is missing the tests fail with a message saying so.

    with Browser() as browser:
        visit = browser.open(path)          # a written HTML file
        visit.page.evaluate("...")
        assert not visit.external_requests
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1400, "height": 900}


class BrowserUnavailable(RuntimeError):
    """Chromium or Playwright is missing; the message says how to install them."""


def chromium_path() -> str:
    """The system Chromium (``SENDGRAPH_CHROMIUM`` overrides), or BrowserUnavailable."""
    override = os.environ.get("SENDGRAPH_CHROMIUM")
    candidates = [override] if override else [*CHROMIUM_CANDIDATES, shutil.which("chromium") or ""]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise BrowserUnavailable(
        "Chromium is not installed (looked for " + ", ".join(c for c in candidates if c) + "); "
        "run `make sysdeps` or `sudo bash tools/sysdeps.sh` (Debian package `chromium`), "
        "or set SENDGRAPH_CHROMIUM to a Chromium binary"
    )


@dataclass
class Visit:
    """One opened page and what it tried to do."""

    page: object
    url: str
    requests: list = field(default_factory=list)  # every request seen: (method, url)
    external_requests: list = field(default_factory=list)  # requests that were not the page itself
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)  # (type, message)
    websockets: list = field(default_factory=list)

    def problems(self) -> dict:
        """Everything that should be empty for a sound offline page."""
        return {
            "external_requests": self.external_requests,
            "console_errors": self.console_errors,
            "page_errors": self.page_errors,
            "dialogs": self.dialogs,
            "websockets": self.websockets,
        }


def keep_screenshot(visit, name: str, full_page: bool = False) -> None:
    """Keep a screenshot of the open page in ``SENDGRAPH_SCREENSHOTS`` (a folder), when it is set."""
    folder = os.environ.get("SENDGRAPH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)


# URL schemes that never leave the machine and are not routed (inline images of the stylesheet).
_LOCAL_SCHEMES = ("data:", "blob:", "about:")


class Browser:
    """A fresh headless Chromium (own temporary profile) with all network access blocked."""

    def __init__(self, viewport: dict | None = None):
        self.viewport = viewport or VIEWPORT
        self._pw = None
        self._context = None
        self._profile = None
        self.visits: list[Visit] = []

    def __enter__(self):
        executable = chromium_path()
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:
            raise BrowserUnavailable(
                "the Python package playwright is not installed; run `make install` (pip install -e '.[test]')"
            ) from exc
        self._profile = tempfile.mkdtemp(prefix="sendgraph-chromium-")
        self._pw = sync_playwright().start()
        try:
            self._context = self._pw.chromium.launch_persistent_context(
                self._profile,
                executable_path=executable,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport=self.viewport,
                offline=False,
                service_workers="block",
                accept_downloads=False,
            )
        except Exception as exc:
            self._pw.stop()
            shutil.rmtree(self._profile, ignore_errors=True)
            raise BrowserUnavailable(f"cannot start Chromium at {executable}: {exc}") from exc
        self._context.route("**/*", self._route)
        self._current: Visit | None = None
        return self

    def __exit__(self, *exc):
        try:
            if self._context is not None:
                self._context.close()
        finally:
            if self._pw is not None:
                self._pw.stop()
            shutil.rmtree(self._profile, ignore_errors=True)
        return False

    def _route(self, route):
        request = route.request
        visit = self._current
        allowed = visit is not None and request.url == visit.url and request.is_navigation_request()
        if visit is not None:
            visit.requests.append((request.method, request.url))
            if not allowed:
                visit.external_requests.append((request.method, request.url))
        if allowed:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def open(self, path, wait_for: str | None = "window.sendgraph && window.sendgraph.drawn === true", timeout_ms: int = 60000) -> Visit:
        """Open an HTML file in a new tab; wait until ``wait_for`` (JS) is true when given."""
        url = Path(path).resolve().as_uri()
        page = self._context.new_page()
        visit = Visit(page=page, url=url)
        self._current = visit
        self.visits.append(visit)

        def on_request(request):  # requests the route may not see (e.g. not routable schemes)
            if request.url.startswith(_LOCAL_SCHEMES) or request.url == url:
                return
            if ("GET", request.url) not in visit.external_requests and (request.method, request.url) not in visit.external_requests:
                visit.external_requests.append((request.method, request.url))

        page.on("request", on_request)
        page.on("console", lambda msg: visit.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda err: visit.page_errors.append(str(err)))
        page.on("websocket", lambda ws: visit.websockets.append(ws.url))

        def on_dialog(dialog):
            visit.dialogs.append((dialog.type, dialog.message))
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(url, wait_until="load", timeout=timeout_ms)
        if wait_for:
            page.wait_for_function(wait_for, timeout=timeout_ms)
        return visit


# JavaScript helpers run in a view page (see sendgraph/views.py: window.sendgraph).

JS_COUNTS = """() => ({
  nodes: window.sendgraph.nodes.length,
  edges: window.sendgraph.edges.length,
  nodeIndices: window.network.body.nodeIndices.length,
  edgeIndices: window.network.body.edgeIndices.length,
  dataNodes: window.network.body.data.nodes.length,
  dataEdges: window.network.body.data.edges.length,
})"""

# How many pixels of the network canvas are painted (vis draws on a transparent canvas).
JS_PAINTED = """() => {
  const canvas = document.querySelector('#network canvas');
  if (!canvas || !canvas.width || !canvas.height) return {width: 0, height: 0, painted: 0};
  const ctx = canvas.getContext('2d');
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
  return {width: canvas.width, height: canvas.height, painted: painted};
}"""

# Centre a node in the canvas and return its DOM position (page coordinates) there.
JS_CENTRE_NODE = """(id) => {
  const network = window.network;
  const pos = network.getPositions([id])[id];
  network.moveTo({position: pos, scale: 1.5, animation: false});
  network.redraw();
  const dom = network.canvasToDOM(network.getPositions([id])[id]);
  const box = document.getElementById('network').getBoundingClientRect();
  return {x: box.left + dom.x, y: box.top + dom.y};
}"""


def hover_node(visit: Visit, node_id) -> str | None:
    """Move the mouse onto a node (centred first, so no panel covers it); returns the tooltip text shown."""
    page = visit.page
    point = page.evaluate(JS_CENTRE_NODE, node_id)
    page.mouse.move(point["x"] + 40, point["y"] + 40)
    page.mouse.move(point["x"] + 1, point["y"] + 1)
    page.mouse.move(point["x"], point["y"])
    try:
        page.wait_for_function(
            "() => { const t = document.querySelector('div.vis-tooltip'); return t && t.style.visibility !== 'hidden' && t.innerText.length > 0; }",
            timeout=3000,
        )
    except Exception:
        return None
    return page.evaluate("() => document.querySelector('div.vis-tooltip').innerText")
