#!/bin/sh
# Build the console's one-folder bundle, dist/ema-desktop/, and put its desktop entry and icons
# beside the program. Usage: packaging/build.sh [PYINSTALLER]   (default: pyinstaller on PATH)
#
# Install the bundle by copying the folder, linking dist/ema-desktop/ema-desktop into PATH, and
# installing ema-desktop.desktop and the icon (as ema-desktop.svg / ema-desktop.png) where the
# desktop looks for them (~/.local/share/applications, ~/.local/share/icons/hicolor/...).
set -eu

PYINSTALLER=${1:-pyinstaller}
cd "$(dirname "$0")/.."

started=$(date +%s)
"$PYINSTALLER" --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/ema-desktop.spec

bundle=dist/ema-desktop
cp packaging/ema-desktop.desktop "$bundle/ema-desktop.desktop"
cp resources/icons/ema-desktop.svg "$bundle/ema-desktop.svg"
cp resources/icons/ema-desktop-256.png "$bundle/ema-desktop.png"

echo "built $bundle in $(( $(date +%s) - started )) s: $(du -sh "$bundle" | cut -f1)"
"$bundle/ema-desktop" --version
