"""The agent's tools: typed functions with docstrings, registered in one list (`TOOLS`)."""

from tools.clock import KST, current_time, format_korean_date, format_korean_datetime, now_kst
from tools.registry import TOOLS, describe_validation_error, make_tool, tool_for_question, tools_by_name

__all__ = [
    "KST",
    "TOOLS",
    "current_time",
    "describe_validation_error",
    "format_korean_date",
    "format_korean_datetime",
    "make_tool",
    "now_kst",
    "tool_for_question",
    "tools_by_name",
]
