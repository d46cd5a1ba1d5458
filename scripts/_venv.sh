# Shared by scripts/run and scripts/test (sourced, not run): find Python 3.11+, create .venv in
# the checkout and install the package with the given extras, but only when setup.cfg or
# pyproject.toml changed since the last install, so the second call is fast.

die() { printf 'error: %s\n' "$*" >&2; exit 2; }

find_python() {
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"; return 0
        fi
    done
    return 1
}

ensure_venv() {  # $1: extras, e.g. "test" or "" for none
    local extras="$1" spec="." stamp python
    [ -n "$extras" ] && spec=".[$extras]"
    if [ ! -x .venv/bin/python ]; then
        python=$(find_python) || die "Python 3.11 or newer is needed (on Debian/Ubuntu: apt-get install python3 python3-venv)."
        echo "Creating .venv with $($python --version)…"
        "$python" -m venv .venv 2>/dev/null ||
            die "could not create .venv: install the venv module (Debian/Ubuntu: apt-get install python3-venv)."
    fi
    stamp=".venv/.installed-${extras:-base}"
    local want
    want=$(cat setup.cfg pyproject.toml | sha256sum | cut -c1-16)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "Installing mapapp${extras:+ with [$extras]} into .venv (first run takes about a minute)…"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip ||
            die "pip could not be upgraded: is the package registry reachable?"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec" ||
            die "installing the package failed (see pip's message above)."
        echo "$want" > "$stamp"
    fi
}
