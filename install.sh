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
    # A static Swift standard library halves start-up (no dozen .so files to
    # load and relocate), which a pre-commit hook pays on every commit.
    # SSOT_STATIC=1 links libgit2 and utf8proc in too (Package.swift), so the binary needs only
    # glibc, libstdc++, libgcc_s and libm at run time.
    say "building ssot (release, static Swift standard library)"
    (cd "$here" && SSOT_STATIC=1 swift build -c release --product ssot --static-swift-stdlib >&2)
    local bin
    bin="$(cd "$here" && SSOT_STATIC=1 swift build -c release --static-swift-stdlib --show-bin-path)/ssot"
    # The hook runs on every commit: a binary that loads libgit2 at run time would cost 3 ms more.
    if command -v readelf >/dev/null 2>&1 && readelf -d "$bin" | grep -q 'NEEDED.*libgit2'; then
        die "the build links libgit2 as a shared library; SSOT_STATIC=1 did not reach Package.swift"
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
