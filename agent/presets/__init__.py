"""System-prompt presets: shipped personas and the user's own, as TOML files with `{variables}`.

Format and commands: docs/usage/prompts.md.
"""

from agent.presets.active import RenderedPreset, render_active, render_system_text
from agent.presets.model import Preset, placeholders
from agent.presets.store import PresetStore
from agent.presets.variables import STANDARD_VARIABLES, PresetValues, format_kb_stats, standard_values

__all__ = [
    "STANDARD_VARIABLES",
    "Preset",
    "PresetStore",
    "PresetValues",
    "RenderedPreset",
    "format_kb_stats",
    "placeholders",
    "render_active",
    "render_system_text",
    "standard_values",
]
