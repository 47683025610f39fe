"""Where the console finds its bundled resources and keeps its own files (platformdirs)."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "ema-desktop"
APP_AUTHOR = "SECTRON"


def resources_dir() -> Path:
    """The `resources/` folder: beside the package in a checkout or editable install, inside the
    bundle in a PyInstaller build (`sys._MEIPASS`)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """A file under `resources/`, e.g. `resource("basemap", "czechia-regions.geojson")`."""
    return resources_dir().joinpath(*parts)


def data_dir() -> Path:
    """Per-user data (local store, demo databases); created on first use."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, ensure_exists=True))


def log_dir() -> Path:
    """Per-user log files; created on first use."""
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR, ensure_exists=True))
