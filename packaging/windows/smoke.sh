#!/usr/bin/env bash
# Smoke test of provdesk.exe under Wine, checking real results, not exit codes only:
#
#   packaging/windows/smoke.sh target/x86_64-pc-windows-gnu/release/provdesk.exe [LINUX_PROVDESK]
#
# 1. `--version` names the version, the Windows target and a build date.
# 2. `device add` with no --db creates the inventory in %APPDATA% (the directories crate's
#    Windows data folder), and `devices --json` lists the device.
# 3. `import` of a CSV with CRLF line endings and a Windows-1252 "ü" adds two devices; a bad file
#    is refused with FILE:LINE and changes nothing.
# 4. `render` writes the device's ProviderFrame file with its MAC into a folder.
# 5. `fetch` of that very file from a provisioning simulator with HTTP digest: the simulator is
#    the Linux build of provdesk (LINUX_PROVDESK, default target/debug/provdesk) running natively,
#    so the Windows client meets a real server over a real socket; the JSON report must say 200,
#    `ok`, and the digest must have been answered.
# 6. `export --csv` reads back: the three devices, LF line endings (the same bytes on every
#    platform; see README, Install).
# 7. The keyring: `redirect save-account` puts the password into the Credential Manager (the
#    keyring crate's Windows store, here Wine's CredWriteW/CredReadW) and not into the account
#    file; `redirect register` and `check` then authenticate to the Linux redirect simulator
#    with the password read back from there.
#
# Not run here: the window (needs a display; see packaging/README.md for the screenshot taken
# under Wine with Xvfb) and file ACLs (Wine maps them to Unix modes, not Windows ACLs).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
exe=$(realpath "${1:?usage: smoke.sh PROVDESK_EXE [LINUX_PROVDESK]}")
peer=$(realpath "${2:-target/debug/provdesk}")
work=$(mktemp -d "${TMPDIR:-/tmp}/provdesk-wine-smoke.XXXXXX")
sims=()
cleanup() {
    for pid in "${sims[@]}"; do kill "$pid" 2>/dev/null || true; done
    WINEPREFIX=$work/prefix wineserver --kill 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "smoke: FAILED: $*" >&2
    exit 1
}
# Fails unless the text ($1) holds the expected string ($2); $3 says what was checked.
expect() {
    case "$1" in
        *"$2"*) echo "smoke: ok: $3" ;;
        *) printf 'smoke: got:\n%s\n' "$1" >&2; fail "$3: expected \"$2\"" ;;
    esac
}

# Starts a simulator of the Linux build (`simulate KIND ARGS…`) on a free port, logging to
# KIND.log; sets $url to the address it prints.
simulate() {
    local kind=$1
    shift
    "$peer" simulate "$kind" --bind 127.0.0.1:0 "$@" >"$kind.log" 2>&1 &
    sims+=($!)
    url=
    for _ in $(seq 50); do
        url=$(sed -n 's/^listening on \(http[^ ]*\)/\1/p' "$kind.log")
        [ -n "$url" ] && return
        sleep 0.2
    done
    cat "$kind.log" >&2
    fail "the $kind simulator did not start"
}

. "$here/wine/prefix.sh"
wine_prefix "$work/prefix"
cd "$work"
provdesk() { wine "$exe" "$@"; }

# 1. --version
out=$(provdesk --version)
expect "$out" "provdesk $(grep -m1 '^version' "$here/../../Cargo.toml" | cut -d'"' -f2) (x86_64-pc-windows-gnu, built 20" "--version names version, target and build date"

# 2. device add into the default data folder
provdesk device add --mac 7c:2f:80:82:0e:c0 --mac-id 7C2F80820EC0-55DF --model "n510 ip pro" \
    --site "Hotel Adler" --provider acme --url 'http://127.0.0.1:1/%MACD.xml'
db="$(wine_appdata)/provdesk/Provdesk/data/inventory.sqlite3"
[ -s "$db" ] || fail "no inventory at %APPDATA%: $db"
echo "smoke: ok: the inventory is in %APPDATA% ($db)"
expect "$(provdesk devices --json)" '"7C2F80820EC0"' "devices --json lists the added device"

# 3. import a CSV: CRLF, Windows-1252, semicolons, German headers
printf 'MAC-Adresse;MAC-ID;Modell;Standort;Bemerkung\r\n7C2F80820EC1;7C2F80820EC1-9A0B;N720;Hotel Adler;Empfang\r\n7C2F80820EC2;;Maxwell 3;Hotel Adler;B\xfcro\r\n' >labels.csv
printf 'MAC;Model\r\n7C2F80820EC3;N510\r\nnot-a-mac;N510\r\n' >bad.csv
out=$(provdesk import bad.csv 2>&1) && fail "a file with an invalid MAC was imported"
expect "$out" "bad.csv:3" "a bad row is refused with FILE:LINE"
provdesk import labels.csv
out=$(provdesk devices --json)
expect "$out" '"7C2F80820EC1"' "import added the N720"
expect "$out" 'Büro' "import read the Windows-1252 note"
case "$out" in *7C2F80820EC3*) fail "the refused batch left a device behind" ;; esac
echo "smoke: ok: the refused batch changed nothing"

# 4. render the device's file
provdesk render --device 7C2F80820EC0 --out www
file=www/7C2F80820EC0.xml
[ -s "$file" ] || fail "render wrote no $file"
expect "$(cat "$file")" "7C2F80820EC0" "the rendered file names its MAC"
expect "$(cat "$file")" "ProviderFrame" "the rendered file is a ProviderFrame file"

# 5. fetch it with digest from the Linux simulator
export PW=2EE3EECC82C4
simulate provisioning --user 7C2F80820EC0 --password-env PW --file "/7C2F80820EC0.xml=$work/$file"
out=$(provdesk fetch "${url}7C2F80820EC0.xml" --model N510 --user 7C2F80820EC0 --password-env PW --json) ||
    { printf '%s\n' "$out" >&2; fail "fetch did not end in 2xx"; }
expect "$out" '"final_status": 200' "fetch got 200 from the simulator"
expect "$out" '"ok": true' "fetch reports ok"
expect "$out" '"status": 401' "the simulator challenged first (digest was answered)"
expect "$(cat provisioning.log)" "GET /7C2F80820EC0.xml 401" "the simulator logged the challenge"
expect "$(cat provisioning.log)" "GET /7C2F80820EC0.xml 200" "the simulator logged the authorised request"

# 6. export reads back, LF line endings
provdesk export --csv inventory.csv
[ "$(grep -c 7C2F80820EC inventory.csv)" = 3 ] || fail "export does not hold the three devices"
if grep -q $'\r' inventory.csv; then fail "export has CR line endings"; fi
echo "smoke: ok: export holds the three devices, LF line endings"
# 7. the redirect password in the Credential Manager
simulate redirect
GS_PW=aptest provdesk redirect --server "$url" --user gigaset --password-env GS_PW save-account
account="$(wine_appdata)/provdesk/Provdesk/data/redirect-account.json"
expect "$(cat "$account")" '"user": "gigaset"' "save-account wrote the account file"
if grep -q aptest "$account"; then fail "the password went into the account file, not the keyring"; fi
echo "smoke: ok: the password is not in the account file"
provdesk redirect register 7C2F80820EC0-55DF 'https://prov.acme.example/%MACD.xml' acme ||
    fail "register with the password from the Credential Manager failed"
provdesk redirect check 7C2F80820EC0-55DF || fail "check after register failed"
expect "$(cat redirect.log)" "registerDevice" "the redirect simulator saw the registration"
echo "smoke: ok: register and check authenticated with the password from the Credential Manager"
echo "smoke: all checks passed"
