"""Case scenarios (shared/docs/scenarios.md): a YAML file that plays a case through the services."""

from .runner import format_summary, run_scenario, summarize
from .schema import ScenarioError, load_file

__all__ = ["ScenarioError", "format_summary", "load_file", "run_scenario", "summarize"]
