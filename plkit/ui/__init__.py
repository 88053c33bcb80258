"""Widget screens for the workbooks. Only this package imports ipywidgets or IPython."""

from plkit.ui.action_plan import action_plan
from plkit.ui.claims import research_claims
from plkit.ui.dashboard import dashboard
from plkit.ui.self_assessment import self_assessment
from plkit.ui.understanding import understanding

__all__ = ["action_plan", "dashboard", "research_claims", "self_assessment", "understanding"]
