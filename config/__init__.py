"""Configuration shared by every layer: importing it never imports the agent or the UI."""

from config.errors import NuriError
from config.logs import setup_logging
from config.settings import Settings, load_settings

__all__ = ["NuriError", "Settings", "load_settings", "setup_logging"]
