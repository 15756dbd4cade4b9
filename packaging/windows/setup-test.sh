#!/usr/bin/env bash
# Installs the Windows setup program silently under Wine and checks what a user would see:
#
#   packaging/windows/setup-test.sh target/packages/provdesk-VERSION-setup.exe
#
# `/S` installs for the current user without admin rights into %LOCALAPPDATA%\Programs\provdesk;
# the start-menu entry and the Settings > Apps entry (HKCU) are there; the installed
# provdesk.exe starts (--version) and creates its inventory in %APPDATA%; `uninstall.exe /S`
# removes the program, the entry and the shortcut and leaves the inventory in place.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
setup=$(realpath "${1:?usage: setup-test.sh PROVDESK_SETUP_EXE}")
work=$(mktemp -d "${TMPDIR:-/tmp}/provdesk-wine-setup.XXXXXX")
cleanup() {
    WINEPREFIX=$work/prefix wineserver --kill 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "setup-test: FAILED: $*" >&2
    exit 1
}

. "$here/wine/prefix.sh"
wine_prefix "$work/prefix"
export PROVDESK_NO_KEYRING=1
user_dir=$WINEPREFIX/drive_c/users/$(id -un)
install_dir=$user_dir/AppData/Local/Programs/provdesk
shortcut="$user_dir/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/provdesk.lnk"
uninstall_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\provdesk'

wine "$setup" /S
wineserver --wait
[ -f "$install_dir/provdesk.exe" ] || fail "no provdesk.exe in %LOCALAPPDATA%\\Programs\\provdesk"
[ -f "$install_dir/uninstall.exe" ] || fail "no uninstall.exe"
[ -f "$shortcut" ] || fail "no start-menu entry"
wine reg query "$uninstall_key" /v DisplayVersion | grep -q "$(sed -n 's/^version = "\(.*\)"/\1/p' "$here/../../Cargo.toml" | head -1)" ||
    fail "no Settings > Apps entry with the version"
echo "setup-test: ok: installed per user, start-menu entry and Apps entry present"

version=$(wine "$install_dir/provdesk.exe" --version)
case "$version" in
    "provdesk "*"x86_64-pc-windows-gnu"*) echo "setup-test: ok: the installed exe starts: $version" ;;
    *) fail "the installed exe printed: $version" ;;
esac
wine "$install_dir/provdesk.exe" device add --mac 7C2F80820EC0 --model N510
db="$user_dir/AppData/Roaming/provdesk/Provdesk/data/inventory.sqlite3"
[ -s "$db" ] || fail "the installed exe made no inventory in %APPDATA%"

# _?= runs the uninstaller in place, so that it is finished when wine returns.
wine "$install_dir/uninstall.exe" /S "_?=$(winepath -w "$install_dir")"
wineserver --wait
[ ! -e "$install_dir/provdesk.exe" ] || fail "uninstall left provdesk.exe"
[ ! -e "$shortcut" ] || fail "uninstall left the start-menu entry"
if wine reg query "$uninstall_key" >/dev/null 2>&1; then fail "uninstall left the Apps entry"; fi
[ -s "$db" ] || fail "uninstall removed the inventory"
echo "setup-test: ok: uninstalled; the inventory stays in %APPDATA%"
echo "setup-test: all checks passed"
