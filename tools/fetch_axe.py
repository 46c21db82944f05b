"""Fetch axe-core (the accessibility engine the browser tests inject into Chromium) from the npm
registry, pinned by version and checked against the package's published sha512 integrity, into
tests/.axe/axe.min.js. Does nothing when it is already there.

Usage: python tools/fetch_axe.py
"""

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
URL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
TARGET = Path(__file__).resolve().parent.parent / "tests" / ".axe" / "axe.min.js"


def main() -> int:
    if TARGET.is_file():
        return 0
    with urllib.request.urlopen(URL, timeout=60) as response:
        blob = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(blob).digest()).decode("ascii")
    if digest != INTEGRITY:
        print(f"fetch_axe: {URL}: integrity {digest} is not the pinned {INTEGRITY}", file=sys.stderr)
        return 1
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as archive:
        script = archive.extractfile("package/axe.min.js").read()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    partial = TARGET.with_suffix(".part")
    partial.write_bytes(script)
    partial.replace(TARGET)
    print(f"fetch_axe: axe-core {VERSION} in {TARGET.parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
