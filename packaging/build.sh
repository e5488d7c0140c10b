#!/usr/bin/env bash
# Build tierdesk as a one-folder app with PyInstaller: packaging/dist/tierdesk/ (and tierdesk.app on macOS).
#
#   packaging/build.sh                 build venv in packaging/build/venv (made on first use), then build
#   packaging/build.sh --current-venv  use the Python of the active venv (or ./.venv) instead; installs
#                                      PyInstaller there, but never Pillow (so no .ico/.icns)
#   PYTHON=python3.12 packaging/build.sh   the interpreter to make the build venv from (default: python3)
#
# Steps: venv -> pip install the app + pyinstaller (+ pillow) -> icons (PNG sizes with PySide6,
# .ico/.icns with Pillow) -> PyInstaller with packaging/tierdesk.spec -> strip libpython -> size report.
# Works on Linux and macOS; on Windows run it from Git Bash (the venv layout is detected).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"
BUILD_DIR="$HERE/build"
DIST_DIR="$HERE/dist"
VENV="${TIERDESK_BUILD_VENV:-$BUILD_DIR/venv}"
PYINSTALLER_SPEC="${PYINSTALLER_SPEC:-pyinstaller>=6.10,<7}"
PILLOW_SPEC="${PILLOW_SPEC:-pillow>=10}"
use_current=0
for arg in "$@"; do
  case "$arg" in
    --current-venv) use_current=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
export PIP_DISABLE_PIP_VERSION_CHECK=1
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"  # icons are rendered without a display

bin_of() { if [ -x "$1/Scripts/python.exe" ]; then echo "$1/Scripts"; else echo "$1/bin"; fi; }
step() { printf '\n== %s\n' "$*"; }
started=$SECONDS

# 1. The Python that builds ------------------------------------------------------------------------------
if [ "$use_current" = 1 ]; then
  venv="${VIRTUAL_ENV:-$REPO/.venv}"
  [ -d "$venv" ] || { echo "build.sh: no active venv and no $REPO/.venv" >&2; exit 2; }
  BIN="$(bin_of "$venv")"
  step "using the current venv $venv"
  "$BIN/python" -m pip install -q "$PYINSTALLER_SPEC"
else
  if [ ! -x "$(bin_of "$VENV")/python" ] && [ ! -x "$(bin_of "$VENV")/python.exe" ]; then
    step "creating the build venv $VENV"
    "${PYTHON:-python3}" -m venv "$VENV"
  fi
  BIN="$(bin_of "$VENV")"
  step "installing tierdesk, PyInstaller and Pillow into the build venv"
  # Non-editable, so the venv holds tierdesk's metadata as a user would get it; the spec still reads the
  # package from the checkout (pathex), so no stale copy can slip in.
  "$BIN/python" -m pip install -q "$REPO" "$PYINSTALLER_SPEC" "$PILLOW_SPEC"
fi
PY="$BIN/python"
"$PY" - <<'EOF'
import importlib.metadata as m, sys
names = ["pyinstaller", "pyinstaller-hooks-contrib", "PySide6-Essentials", "pandas", "numpy", "pillow"]
found = []
for n in names:
    try:
        found.append(f"{n} {m.version(n)}")
    except m.PackageNotFoundError:
        pass
print(f"Python {sys.version.split()[0]}: " + ", ".join(found))
EOF

# 2. Icons -------------------------------------------------------------------------------------------------
step "rendering icons from resources/icons/tierdesk.svg"
"$PY" "$HERE/make_icons.py" --out "$BUILD_DIR/icons"

# 3. PyInstaller -------------------------------------------------------------------------------------------
step "running PyInstaller (a few minutes)"
TIERDESK_ICON_DIR="$BUILD_DIR/icons" "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --workpath "$BUILD_DIR/pyinstaller" --distpath "$DIST_DIR" "$HERE/tierdesk.spec"

# 4. Slim the interpreter ---------------------------------------------------------------------------------
# Interpreters built from source (pyenv, some distros) keep debug symbols in libpython and their extension
# modules: ~25 MB. Strip those only: PyInstaller's own `strip` option also hits wheel libraries patched by
# auditwheel and breaks them (numpy's OpenBLAS). Linux only: on macOS it would void the code signature.
APP_DIR="$DIST_DIR/tierdesk"
if [ "$(uname -s)" = Linux ] && command -v strip >/dev/null 2>&1 && [ -d "$APP_DIR/_internal" ]; then
  step "stripping debug symbols from the bundled Python interpreter"
  before=$(du -sk "$APP_DIR" | cut -f1)
  find "$APP_DIR/_internal" -maxdepth 1 -type f -name 'libpython3*.so*' -exec strip --strip-debug {} +
  find "$APP_DIR/_internal" -path '*/python3.*/lib-dynload/*.so' -type f -exec strip --strip-debug {} +
  echo "saved $(( (before - $(du -sk "$APP_DIR" | cut -f1)) / 1024 )) MB"
fi

# 5. Report ------------------------------------------------------------------------------------------------
[ -d "$APP_DIR" ] || { echo "build.sh: PyInstaller produced no $APP_DIR" >&2; exit 1; }
step "built in $((SECONDS - started)) s"
du -sh "$APP_DIR"
[ -d "$DIST_DIR/tierdesk.app" ] && du -sh "$DIST_DIR/tierdesk.app"
echo "largest parts:"
internal="$APP_DIR/_internal"
[ -d "$internal" ] || internal="$APP_DIR"
{ du -sk "$internal"/*; du -sk "$internal"/PySide6/Qt/*; } 2>/dev/null | sort -rn | head -12 \
  | awk '{ printf "  %7.1f MB  %s\n", $1 / 1024, $2 }' | sed "s|$APP_DIR/||"
echo "run it: $APP_DIR/tierdesk --sample"
