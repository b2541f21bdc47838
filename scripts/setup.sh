#!/usr/bin/env bash
# Set up motcua-desktop on a fresh Debian/Ubuntu machine, then either open the window on a demo data
# dir (`app`) or run the whole test suite (`test`). Used by the README's two commands and by CI.
set -euo pipefail
mode="${1:-app}"
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# Qt's runtime libraries (the offscreen platform needs the first list; the xcb platform of a real X11
# display also the second, as Qt's own "Qt for X11 requirements" page lists them), poppler for the PDF
# checks, venv support; for the tests also PostgreSQL (the hub's tests start a throw-away cluster
# themselves; apt never starts one). PYTHON=python3.11 picks the interpreter (Ubuntu 22.04's is 3.10).
QT_LIBS="libgl1 libegl1 libx11-6 libxkbcommon0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3"
X11_LIBS="libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1"
need_apt() {
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || return 0; done
  return 1
}
packages="$QT_LIBS python3-venv"
case "$mode" in
  test) packages="$packages poppler-utils postgresql" ;;
  app) packages="$packages $X11_LIBS" ;;
esac
# shellcheck disable=SC2086
if need_apt $packages; then
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $packages >/dev/null
fi

PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
case "$mode" in
  app)
    .venv/bin/python -m pip install -q .
    exec .venv/bin/motcua gui --demo
    ;;
  test)
    # A regular (not editable) install: the tests then prove ui/, resources/ and db/ travel with it
    # (and the hub's migrations with motcua_desktop/hub/).
    .venv/bin/python -m pip install -q ".[test,hub]"
    exec .venv/bin/pytest "${@:2}"
    ;;
  *)
    echo "usage: scripts/setup.sh app|test [pytest args]" >&2
    exit 2
    ;;
esac
