"""Test helpers: paths, real components the tests drive (Chromium, Virtuoso), hostile files, process killing."""
