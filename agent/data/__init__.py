"""Data tables shipped with the agent package (read with importlib.resources)."""
