"""A workbook that cannot start says why in plain words, never with a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

import ipywidgets as widgets

from plkit.errors import PlkitError
from plkit.ui.common import HTML, escape, style_tag
from plkit.ui.view import keep_in_sight

Screen = TypeVar("Screen", bound=widgets.Widget)


def problem_message(message: str) -> widgets.VBox:
    """The screen shown instead of a workbook that cannot start: what is wrong and what to do."""
    box = widgets.VBox(
        [
            style_tag(),
            HTML(
                '<div role="alert"><p class="plkit-problem"><strong>This workbook cannot start.</strong></p>'
                f"<p>{escape(message)}</p><p>Nothing has been changed. When the problem is fixed, "
                "restart the kernel and run the workbook again.</p></div>"
            ),
        ]
    )
    box.add_class("plkit")
    box.add_class("plkit-cannot-start")
    return box


def plain_problems(build: Callable[..., Screen]) -> Callable[..., Screen | widgets.VBox]:
    """Wrap a screen builder so that a ``PlkitError`` (a bad framework file, say) is shown plainly."""

    @functools.wraps(build)
    def build_or_explain(*args, **kwargs):
        keep_in_sight()  # JupyterLab's Run All would leave the screen out of sight
        try:
            return build(*args, **kwargs)
        except PlkitError as exc:
            return problem_message(exc.message)

    return build_or_explain
