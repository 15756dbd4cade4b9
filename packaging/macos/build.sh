#!/usr/bin/env bash
# Builds provdesk.app (and a .dmg) on a Mac, in one command:
#
#   packaging/macos/build.sh
#
# Needs a Mac with Xcode's command line tools (xcode-select --install: clang, lipo, iconutil,
# codesign, hdiutil) and the Rust toolchain through rustup. Builds a universal binary (Apple
# silicon and Intel), the icon from packaging/icons/, signs the bundle ad hoc (Gatekeeper then
# asks once: right-click > Open) and writes target/packages/provdesk-VERSION-macos.dmg.
#
# UNTESTED: written on Linux, where none of these tools exist; see packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

[ "$(uname -s)" = Darwin ] || { echo "build.sh: run this on a Mac" >&2; exit 1; }
target_dir=${CARGO_TARGET_DIR:-target}
out=$target_dir/packages
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
targets=(aarch64-apple-darwin x86_64-apple-darwin)

rustup target add "${targets[@]}"
for target in "${targets[@]}"; do
    cargo build --release --locked --target "$target"
done

app=$out/provdesk.app
rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
lipo -create -output "$app/Contents/MacOS/provdesk" \
    "$target_dir/aarch64-apple-darwin/release/provdesk" \
    "$target_dir/x86_64-apple-darwin/release/provdesk"
sed "s/@VERSION@/$version/g" packaging/macos/Info.plist >"$app/Contents/Info.plist"

# The icon set iconutil wants: each size and its @2x from the PNGs in packaging/icons/.
iconset=$(mktemp -d)/provdesk.iconset
mkdir -p "$iconset"
for size in 16 32 128 256; do
    cp "packaging/icons/provdesk-$size.png" "$iconset/icon_${size}x${size}.png"
done
cp packaging/icons/provdesk-32.png "$iconset/icon_16x16@2x.png"
cp packaging/icons/provdesk-64.png "$iconset/icon_32x32@2x.png"
cp packaging/icons/provdesk-256.png "$iconset/icon_128x128@2x.png"
iconutil --convert icns --output "$app/Contents/Resources/provdesk.icns" "$iconset"

codesign --force --deep --sign - "$app"
"$app/Contents/MacOS/provdesk" --version

dmg=$out/provdesk-$version-macos.dmg
rm -f "$dmg"
hdiutil create -volname provdesk -srcfolder "$app" -ov -format UDZO "$dmg"
echo "built $app"
echo "built $dmg"
