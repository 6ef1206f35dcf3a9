"""The lightweighting lab: run Korean tasks on several models and compare speed, memory and quality.

`nuri bench` (cli/bench.py) and the Compare page (ui/pages/compare.py) both drive `run_bench` and
`render_report`. Layering: cli/ui -> lab -> agent -> tools.
"""

from lab.report import render_report
from lab.runner import run_bench
from lab.targets import Target, parse_target, parse_targets
from lab.tasks import Task, load_suite

__all__ = ["Target", "Task", "load_suite", "parse_target", "parse_targets", "render_report", "run_bench"]
