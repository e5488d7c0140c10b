#!/usr/bin/env bash
# macOS: build tierdesk.app, sign it (Developer ID, hardened runtime), make a DMG, notarize and staple.
#
#   packaging/macos/build-app.sh                      build + ad-hoc signed app + DMG (runs on this Mac only)
#   TIERDESK_CODESIGN_IDENTITY="Developer ID Application: NAME (TEAMID)" \
#   TIERDESK_NOTARY_PROFILE=tierdesk-notary packaging/macos/build-app.sh
#                                                     signed, notarized, stapled DMG for distribution
#
# One-time set-up for notarization (stores an app-specific password in the keychain):
#   xcrun notarytool store-credentials tierdesk-notary --apple-id YOU@EXAMPLE.COM --team-id TEAMID
# Build on the oldest macOS you support, once on arm64 and once on x86_64 (or with a universal2 Python and
# target_arch="universal2" in the spec): a PyInstaller build runs only on the architecture it was built on.
set -euo pipefail
[ "$(uname -s)" = Darwin ] || { echo "build-app.sh: run this on macOS" >&2; exit 2; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PACKAGING="$(dirname "$HERE")"
REPO="$(dirname "$PACKAGING")"
APP="$PACKAGING/dist/tierdesk.app"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$REPO/tierdesk/__init__.py")"
DMG="$PACKAGING/dist/tierdesk-$VERSION-macos-$(uname -m).dmg"
IDENTITY="${TIERDESK_CODESIGN_IDENTITY:-}"
ENTITLEMENTS="$HERE/entitlements.plist"

# 1. Build (PyInstaller makes dist/tierdesk/ and dist/tierdesk.app, ad-hoc signed).
"$PACKAGING/build.sh" "$@"
[ -d "$APP" ] || { echo "build-app.sh: no $APP" >&2; exit 1; }

# 2. Sign inside-out with the hardened runtime (required for notarization).
if [ -n "$IDENTITY" ]; then
  echo "== signing with '$IDENTITY'"
  find "$APP/Contents" -type f \( -name '*.so' -o -name '*.dylib' -o -perm -u+x \) -print0 |
    while IFS= read -r -d '' file; do
      if file -b "$file" | grep -q 'Mach-O'; then
        codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" --sign "$IDENTITY" "$file"
      fi
    done
  codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" --sign "$IDENTITY" "$APP"
  codesign --verify --deep --strict --verbose=2 "$APP"
else
  echo "== no TIERDESK_CODESIGN_IDENTITY: the app stays ad-hoc signed (fine on this Mac, blocked by Gatekeeper elsewhere)"
fi

# 3. Smoke-test the bundled binary before packing it.
"$APP/Contents/MacOS/tierdesk" --version

# 4. DMG with the app and an /Applications link.
echo "== making $DMG"
staging="$(mktemp -d)"
cp -R "$APP" "$staging/"
ln -s /Applications "$staging/Applications"
rm -f "$DMG"
hdiutil create -volname "tierdesk $VERSION" -srcfolder "$staging" -ov -format UDZO "$DMG"
rm -rf "$staging"
[ -n "$IDENTITY" ] && codesign --force --timestamp --sign "$IDENTITY" "$DMG"

# 5. Notarize and staple (only with a Developer ID and a stored notarytool profile).
if [ -n "$IDENTITY" ] && [ -n "${TIERDESK_NOTARY_PROFILE:-}" ]; then
  echo "== notarizing (a few minutes)"
  xcrun notarytool submit "$DMG" --keychain-profile "$TIERDESK_NOTARY_PROFILE" --wait
  xcrun stapler staple "$DMG"
  spctl --assess --type open --context context:primary-signature --verbose "$DMG"
fi
du -sh "$APP" "$DMG"
