#!/usr/bin/env bash
# Install ssot, or one of its git hooks (SPEC section 6).
#
#   ./install.sh                           build in release mode, install `ssot` (stripped) into $PREFIX/bin
#   ./install.sh --with-symbols            the same, with the symbols kept (for a debugger or a profiler)
#   ./install.sh --hook pre-commit [REPO]  the pre-commit hook of REPO (default: the current repo)
#   ./install.sh --hook pre-receive REPO   the pre-receive hook of a server-side (bare) repository
#
# PREFIX defaults to /usr/local as root, ~/.local otherwise. libgit2-dev,
# libutf8proc-dev, libtomlplusplus-dev and pkg-config are installed with apt when they are missing and that is possible.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$(id -u)" = 0 ]; then PREFIX="${PREFIX:-/usr/local}"; else PREFIX="${PREFIX:-$HOME/.local}"; fi

say() { printf 'install.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

ensure_libgit2() {
    if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libgit2 libutf8proc tomlplusplus; then return; fi
    if command -v apt-get >/dev/null 2>&1; then
        local sudo=""
        if [ "$(id -u)" != 0 ]; then
            command -v sudo >/dev/null 2>&1 || die "libgit2-dev, libutf8proc-dev, libtomlplusplus-dev and pkg-config are missing; install them as root: apt-get install libgit2-dev libutf8proc-dev libtomlplusplus-dev pkg-config"
            sudo="sudo"
        fi
        say "installing libgit2-dev, libutf8proc-dev, libtomlplusplus-dev and pkg-config with apt"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libgit2-dev libutf8proc-dev libtomlplusplus-dev pkg-config >/dev/null
    else
        die "libgit2 (1.5), utf8proc, toml++ and pkg-config are missing and apt-get is not available; install them with your package manager"
    fi
}

build_and_install() {
    ensure_libgit2
    command -v swift >/dev/null 2>&1 || die "swift is not on PATH (Swift 5.9 or later is needed)"
    # A static executable: the Swift runtime, libgit2 and the libraries behind it
    # (SSOT_STATIC=1, Package.swift), utf8proc, glibc and the C++ runtime are all
    # linked in, at fixed addresses. A pre-commit hook pays start-up on every
    # commit: the dynamic build spent 0.4 ms applying 58,757 relocations, and
    # `ssot --version` took 2.1 times `git --version` (0.81 times, static: Benchmarks/bench.py).
    say "building ssot (release, a static executable)"
    (cd "$here" && SSOT_STATIC=1 swift build -c release --product ssot -Xswiftc -static-executable >&2)
    local bin
    bin="$(cd "$here" && SSOT_STATIC=1 swift build -c release -Xswiftc -static-executable --show-bin-path)/ssot"
    # The hook runs on every commit: a binary that loads libraries at run time would cost milliseconds more.
    if command -v readelf >/dev/null 2>&1 && readelf -d "$bin" 2>/dev/null | grep -q 'NEEDED'; then
        die "the build loads shared libraries ($(readelf -d "$bin" | grep NEEDED | tr -s ' ' | cut -d' ' -f6 | tr '\n' ' ')); SSOT_STATIC=1 or -static-executable did not take"
    fi
    mkdir -p "$PREFIX/bin"
    install -m 0755 "$bin" "$PREFIX/bin/ssot.tmp.$$"
    # The symbols are half the binary and no run needs them.
    if [ "${1:-}" != keep-symbols ]; then
        if command -v strip >/dev/null 2>&1; then strip --strip-all "$PREFIX/bin/ssot.tmp.$$"; else say "note: strip is not installed; the binary keeps its symbols"; fi
    fi
    mv -f "$PREFIX/bin/ssot.tmp.$$" "$PREFIX/bin/ssot"
    say "installed $PREFIX/bin/ssot"
    case ":$PATH:" in *":$PREFIX/bin:"*) ;; *) say "note: $PREFIX/bin is not on your PATH" ;; esac
}

case "${1:-}" in
    "")
        build_and_install
        ;;
    --with-symbols)
        build_and_install keep-symbols
        ;;
    --hook)
        [ $# -ge 2 ] || die "usage: ./install.sh --hook pre-commit [REPO] | --hook pre-receive REPO"
        exec "$here/hooks/install-hook" "$2" "${3:-}"
        ;;
    -h|--help)
        sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
        ;;
    *)
        die "unknown argument '$1' (see ./install.sh --help)"
        ;;
esac
