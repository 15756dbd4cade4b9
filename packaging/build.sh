#!/usr/bin/env bash
# Builds provdesk's installable packages into target/packages/ (see packaging/README.md):
#
#   packaging/build.sh deb        # Debian/Ubuntu .deb (cargo-deb)
#   packaging/build.sh windows    # Windows setup program (NSIS) and portable .zip, cross-built
#   packaging/build.sh all        # both
#
# Needs the Rust toolchain; for deb, dpkg (cargo-deb is installed with `cargo install` when
# missing); for windows, rustup, the MinGW-w64 cross toolchain (Debian: mingw-w64), makensis
# (nsis) and zip. SOURCE_DATE_EPOCH, when set, is the build date provdesk --version shows.
# The macOS .app is built on a Mac: packaging/macos/build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir=${CARGO_TARGET_DIR:-target}
out=$target_dir/packages
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
windows_target=x86_64-pc-windows-gnu
# The cargo-deb release known to build this package; `cargo install --locked` builds it with
# the dependency versions it was released with.
cargo_deb_version=3.8.0

need() {
    command -v "$1" >/dev/null || { echo "build.sh: $1 is missing: $2" >&2; exit 1; }
}

build_deb() {
    need dpkg-deb "install dpkg (Debian, Ubuntu)"
    if ! cargo deb --version >/dev/null 2>&1; then
        cargo install --locked --version "$cargo_deb_version" cargo-deb
    fi
    cargo build --release --locked
    mkdir -p "$out"
    cargo deb --no-build --output "$out/provdesk_${version}_amd64.deb"
    # The desktop file and metainfo, checked where the checkers are installed.
    if command -v desktop-file-validate >/dev/null; then
        desktop-file-validate packaging/linux/net.provdesk.Provdesk.desktop
    fi
    if command -v appstreamcli >/dev/null; then
        appstreamcli validate --no-net packaging/linux/net.provdesk.Provdesk.metainfo.xml
    fi
    echo "built $out/provdesk_${version}_amd64.deb"
}

build_windows() {
    need x86_64-w64-mingw32-gcc "install the MinGW-w64 cross toolchain (Debian: apt-get install mingw-w64)"
    need makensis "install NSIS (Debian: apt-get install nsis)"
    need zip "install zip"
    if command -v rustup >/dev/null; then
        rustup target add "$windows_target" >/dev/null
    fi
    cargo build --release --locked --target "$windows_target"
    mkdir -p "$out"
    # The packaged exe without its symbol table (45 MB -> 35 MB); the icon, version resource
    # and manifest stay.
    local exe=$out/provdesk.exe
    x86_64-w64-mingw32-strip -o "$exe" "$target_dir/$windows_target/release/provdesk.exe"
    local setup portable
    setup=$(realpath "$out")/provdesk-${version}-setup.exe
    makensis -V2 -DVERSION="$version" -DEXE="$(realpath "$exe")" -DOUTFILE="$setup" \
        packaging/windows/installer.nsi
    # The portable zip: the exe in a folder of its own; it keeps its data in %APPDATA% as the
    # installed one does.
    portable=$(realpath "$out")/provdesk-${version}-windows-x86_64.zip
    local staging
    staging=$(mktemp -d)
    mkdir "$staging/provdesk-$version"
    cp "$exe" "$staging/provdesk-$version/provdesk.exe"
    cp packaging/windows/README.txt "$staging/provdesk-$version/README.txt"
    rm -f "$portable"
    (cd "$staging" && zip -q -9 -X -r "$portable" "provdesk-$version")
    rm -rf "$staging"
    echo "built $setup"
    echo "built $portable"
}

case "${1:-}" in
    deb) build_deb ;;
    windows) build_windows ;;
    all) build_deb && build_windows ;;
    *)
        echo "usage: packaging/build.sh deb|windows|all" >&2
        exit 2
        ;;
esac
