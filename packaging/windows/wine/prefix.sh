# Sourced by smoke.sh and .ci/run: a throw-away Wine prefix that can run provdesk.exe.
#
#   . packaging/windows/wine/prefix.sh
#   wine_prefix /tmp/somewhere/prefix      # creates it, exports WINEPREFIX and friends
#
# The prefix gets the test-only ProcessPrng shim (processprng.c, see there why) as its
# system32\bcryptprimitives.dll, standing in for the Windows component Wine 8 lacks; no exe
# folder and no installer ever holds it. Needs wine (64-bit) and x86_64-w64-mingw32-gcc.

wine_prefix() {
    local prefix=$1
    local here
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    export WINEPREFIX=$prefix
    # No debug chatter on stderr; no prompts to download Mono or Gecko; the shim before Wine's
    # own bcryptprimitives (which has no ProcessPrng).
    export WINEDEBUG=-all
    export WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=n"
    mkdir -p "$prefix"
    wineboot --init >/dev/null 2>&1
    wineserver --wait
    x86_64-w64-mingw32-gcc -shared -O2 -o "$prefix/drive_c/windows/system32/bcryptprimitives.dll" \
        "$here/processprng.c" -ladvapi32
}

# The Windows user's %APPDATA% inside the prefix, as a Linux path.
wine_appdata() {
    echo "$WINEPREFIX/drive_c/users/$(id -un)/AppData/Roaming"
}
