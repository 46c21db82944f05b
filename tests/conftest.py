"""Shared pytest fixtures. Keep each group under its heading, with the test files that use it."""

from __future__ import annotations

import pytest

# ---------------------------------------------------------------------------------------------
# A private Virtuoso SPARQL server (tests/test_remote.py). Started once per session on free ports
# of 127.0.0.1 from its own directory, stopped (or killed) at the end. Never skipped: without
# virtuoso-t the tests that use it fail and say how to install it (`make test` does).
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A running :class:`virtuoso.Virtuoso`: ``.sparql_url``, ``.user``/``.password`` (dba), ``.isql(sql)``."""
    from support.virtuoso import Virtuoso, VirtuosoError

    problem = None
    try:
        server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
        server.start()
    except VirtuosoError as exc:
        problem = str(exc)
    if problem:
        pytest.fail(f"cannot start the test Virtuoso: {problem}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------------------------------------
# Headless Chromium with every request blocked (tests/test_browser.py, tests/test_site_browser.py),
# one per test module. Never skipped: without Chromium or Playwright the tests fail and say how to
# install them (`make test` does).
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """A running :class:`support.browser.Browser`."""
    from support.browser import Browser, BrowserUnavailable

    session, problem = Browser(), None
    try:
        session.__enter__()
    except BrowserUnavailable as exc:
        problem = str(exc)
    if problem:
        pytest.fail(problem, pytrace=False)
    try:
        yield session
    finally:
        session.__exit__(None, None, None)


# ---------------------------------------------------------------------------------------------
# No SPARQL server credentials anywhere (tests/test_store.py, tests/test_remote.py).
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def no_credentials(monkeypatch, tmp_path):
    """Neither SENDGRAPH_USER/SENDGRAPH_PASSWORD nor a ~/.netrc: returns the empty home folder."""
    from sendgraph.stores import remote

    monkeypatch.delenv(remote.USER_ENV, raising=False)
    monkeypatch.delenv(remote.PASSWORD_ENV, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path
