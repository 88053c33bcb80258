"""Widget screens for the workbooks. Only this package imports ipywidgets or IPython."""

from plkit.ui.self_assessment import self_assessment
from plkit.ui.understanding import understanding

__all__ = ["self_assessment", "understanding"]
