#!/bin/sh
# Install the Debian packages Labitory needs when they are missing: Pango for WeasyPrint
# PDFs, Chromium for the browser tests (driven by Playwright; never a browser download),
# nginx for `make stack` and its smoke test (run from the repository, not as a service),
# openssl for the throwaway certificate the nginx site is checked with, and PostgreSQL's
# client (pg_dump, pg_restore) for backups, qpdf, the strict checker the tests run on every
# rendered statement, with poppler's pdftoppm to turn printed pages into pictures, and
# Prometheus (its promtool checks and tests the alert rules in deploy/prometheus/).
set -eu
packages="chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core nginx openssl postgresql-client qpdf poppler-utils prometheus"
missing=""
for package in $packages; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
echo "Installing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "Please install as root: apt-get install$missing" >&2
    exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
