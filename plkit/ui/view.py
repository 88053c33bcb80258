"""Which view a workbook is shown in, and keeping its screen in sight in JupyterLab.

JupyterLab's *Run All* scrolls to the last cell as the run starts, so when the screen appears
above it, no control is in sight. The screen's cell asks to be scrolled into view once it is
shown: a one-line script, in JupyterLab only (the app view opens at the top, as a page does).
"""

from __future__ import annotations

import os

# Voilà runs each page's kernel with these set; JupyterLab never does.
APP_VIEW_VARIABLES = ("VOILA_KERNEL_ID", "VOILA_REQUEST_URL")

# ``element`` is the output's own node (JupyterLab's script renderer provides it). Once the
# screen shows, its cell is kept at the top of the notebook while JupyterLab settles its own
# scrolling (it holds the last cell in view for 3 s after each change of size), then left alone;
# any wheel, touch, key or click by the person stops it at once.
SCROLL_TO_SCREEN = """
(function (node) {
  var stopped = false, settled = 0, giveUp = performance.now() + 60000;
  var stop = function () { stopped = true; };
  ['wheel', 'touchstart', 'keydown', 'pointerdown'].forEach(function (type) {
    window.addEventListener(type, stop, {once: true, capture: true});
  });
  var keep = function () {
    var now = performance.now();
    if (stopped || now > giveUp) { return; }
    // The output is drawn before it joins the page: find its cell once it has.
    var cell = node && node.closest ? node.closest('.jp-Cell') : null;
    if (cell && cell.querySelector('.plkit')) {
      var outer = cell.closest('.jp-WindowedPanel-outer') || cell.parentElement;
      if (!settled) { settled = now + 4000; }
      if (Math.abs(cell.getBoundingClientRect().top - outer.getBoundingClientRect().top) > 2) {
        cell.scrollIntoView({block: 'start'});
      }
      if (now > settled) { return; }
    }
    requestAnimationFrame(keep);
  };
  keep();
})(element);
"""


def in_app_view() -> bool:
    return any(os.environ.get(name) for name in APP_VIEW_VARIABLES)


def keep_in_sight() -> bool:
    """In a JupyterLab notebook, scroll to this cell once its output shows; True if asked."""
    if in_app_view():
        return False
    from IPython import get_ipython

    if get_ipython() is None:  # a plain Python session (tests, scripts): nothing to scroll
        return False
    from IPython.display import Javascript, display

    display(Javascript(SCROLL_TO_SCREEN))
    return True
