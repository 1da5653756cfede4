"""Case scenarios (shared/docs/scenarios.md): a YAML file that plays a case through the services."""

from .runner import ScenarioError, format_summary, load_file, run_scenario, summarize

__all__ = ["ScenarioError", "format_summary", "load_file", "run_scenario", "summarize"]
