#!/usr/bin/env bash
# Install the built one-folder app for the current user (no root), with menu entry and icons:
#   packaging/linux/install.sh [--uninstall]
# Puts the app in ~/.local/opt/tierdesk, a `tierdesk` link in ~/.local/bin, the .desktop file, the
# AppStream metainfo and hicolor icons under ~/.local/share. Run packaging/build.sh first.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PACKAGING="$(dirname "$HERE")"
ID=io.github.tierdesk
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
OPT="$HOME/.local/opt/tierdesk"
BIN="$HOME/.local/bin"

if [ "${1:-}" = --uninstall ]; then
  rm -rf "$OPT" "$BIN/tierdesk" "$DATA/applications/$ID.desktop" "$DATA/metainfo/$ID.metainfo.xml"
  rm -f "$DATA"/icons/hicolor/*/apps/$ID.png "$DATA/icons/hicolor/scalable/apps/$ID.svg"
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$DATA/applications" || true
  echo "tierdesk uninstalled"
  exit 0
fi

[ -x "$PACKAGING/dist/tierdesk/tierdesk" ] || { echo "install.sh: build first (packaging/build.sh)" >&2; exit 1; }
rm -rf "$OPT" && mkdir -p "$(dirname "$OPT")" "$BIN" "$DATA/applications" "$DATA/metainfo"
cp -a "$PACKAGING/dist/tierdesk" "$OPT"
ln -sf "$OPT/tierdesk" "$BIN/tierdesk"
# Exec with the absolute path, so the menu entry works even when ~/.local/bin is not on PATH.
sed -e "s|^Exec=tierdesk|Exec=$OPT/tierdesk|" -e "s|^TryExec=tierdesk|TryExec=$OPT/tierdesk|" \
  "$HERE/$ID.desktop" >"$DATA/applications/$ID.desktop"
cp "$HERE/$ID.metainfo.xml" "$DATA/metainfo/"
mkdir -p "$DATA/icons/hicolor/scalable/apps"
cp "$PACKAGING/../resources/icons/tierdesk.svg" "$DATA/icons/hicolor/scalable/apps/$ID.svg"
for size in 16 24 32 48 64 128 256 512; do
  png="$PACKAGING/build/icons/tierdesk-$size.png"
  [ -f "$png" ] || continue
  mkdir -p "$DATA/icons/hicolor/${size}x${size}/apps"
  cp "$png" "$DATA/icons/hicolor/${size}x${size}/apps/$ID.png"
done
command -v update-desktop-database >/dev/null && update-desktop-database -q "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
echo "tierdesk installed in $OPT; run 'tierdesk' (if ~/.local/bin is on PATH) or pick it from the menu"
