"""Widget screens for the workbooks. Only this package imports ipywidgets or IPython.

Each builder shows a plain message instead of a traceback when it cannot start (a malformed
framework file, say).
"""

from plkit.ui import action_plan as _action_plan
from plkit.ui import claims as _claims
from plkit.ui import dashboard as _dashboard
from plkit.ui import self_assessment as _self_assessment
from plkit.ui import start_here as _start_here
from plkit.ui import understanding as _understanding
from plkit.ui.problem import plain_problems

action_plan = plain_problems(_action_plan.action_plan)
dashboard = plain_problems(_dashboard.dashboard)
research_claims = plain_problems(_claims.research_claims)
self_assessment = plain_problems(_self_assessment.self_assessment)
start_here = plain_problems(_start_here.start_here)
understanding = plain_problems(_understanding.understanding)

__all__ = ["action_plan", "dashboard", "research_claims", "self_assessment", "start_here", "understanding"]
