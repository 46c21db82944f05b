#!/usr/bin/env bash
# Install the system packages the test suite drives for real, when they are missing:
# Chromium (browser tests), Virtuoso 7 (the SPARQL server of tests/test_remote.py) and a Java runtime
# (the HermiT OWL reasoner that tests/test_ontology.py runs through Owlready2).
# The tests start their own private Virtuoso; the package's system instance is never started.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if ! command -v virtuoso-t >/dev/null 2>&1 || ! command -v isql-vt >/dev/null 2>&1; then
  need+=(virtuoso-opensource)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "sysdeps: missing ${need[*]}; run as root or install them with apt" >&2
  exit 1
fi
# Keep package installs from starting a system Virtuoso: the tests start their own.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; made_policy=1
fi
cleanup() { if [ "$made_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT
export DEBIAN_FRONTEND=noninteractive
# One retry: a mirror hiccup should not fail a whole CI run.
apt-get update -qq || { sleep 5; apt-get update -qq; }
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || { sleep 5; apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
for tool in chromium virtuoso-t isql-vt java; do
  command -v "$tool" >/dev/null 2>&1 || { echo "sysdeps: $tool still missing after installing ${need[*]}" >&2; exit 1; }
done
