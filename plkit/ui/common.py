"""Small building blocks shared by every workbook screen."""

from __future__ import annotations

import base64
import functools
import html

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import HTMLStyle
from traitlets import default

from plkit.charts import to_png
from plkit.validation import MAX_LINE, MAX_TEXT


# Every text and button of a screen shares one style object of its kind: each widget otherwise
# brings its own, a third of a screen's widgets, each one more thing for the page to set up before
# the first control shows. (Nothing in the kit changes a text's or a button's style.)
@functools.cache
def _shared(kind: type) -> widgets.Widget:
    return kind()


class HTML(widgets.HTML):
    """``ipywidgets.HTML`` with the shared style."""

    @default("style")
    def _shared_style(self) -> HTMLStyle:
        return _shared(HTMLStyle)


class Button(widgets.Button):
    """``ipywidgets.Button`` with the shared style."""

    @default("style")
    def _shared_style(self) -> widgets.ButtonStyle:
        return _shared(widgets.ButtonStyle)

# Labels sit above their boxes and wrap, so long questions stay readable and linked.
STYLE = """
<style>
.plkit-stacked { flex-direction: column !important; align-items: stretch !important; }
.plkit-stacked > .widget-label { width: auto !important; max-width: none !important;
  white-space: normal !important; text-align: left !important; line-height: 1.4;
  margin-bottom: 4px; height: auto !important; }
.plkit-stacked textarea, .plkit-stacked input { width: 100% !important; }
.plkit-row { gap: 8px 16px; }
.plkit .lm-TabBar-tab { flex: 0 0 auto !important; max-width: none !important; min-width: 0 !important;
  color: var(--jp-ui-font-color1, #1a1a1a) !important; }
/* Reflow (WCAG 1.4.10): at 320 px wide (a phone, or 400% zoom) nothing scrolls sideways and no
   label is cut short. Tabs wrap onto several lines; the chosen tab is bold and underlined. */
.plkit .widget-tab > .lm-TabBar { height: auto !important; min-height: 0 !important;
  overflow: visible !important; }
.plkit .widget-tab > .lm-TabBar > .lm-TabBar-content { flex-wrap: wrap !important;
  align-items: stretch !important; gap: 4px; min-width: 0 !important; padding-bottom: 4px !important; }
.plkit .widget-tab > .lm-TabBar .lm-TabBar-tab { flex: 0 1 auto !important; max-width: 100% !important;
  height: auto !important; min-height: 30px !important; margin: 0 !important; padding: 4px 10px !important;
  line-height: 1.3 !important; align-items: center; overflow: visible !important; transform: none !important;
  border: 1px solid var(--jp-border-color1, #bdbdbd) !important; border-radius: 3px 3px 0 0; }
.plkit .widget-tab > .lm-TabBar .lm-TabBar-tabLabel { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; overflow-wrap: anywhere; }
.plkit .widget-tab > .lm-TabBar .lm-TabBar-tab.lm-mod-current { font-weight: bold;
  background: var(--jp-layout-color1, white) !important; box-shadow: inset 0 -4px 0 #0072B2; }
.plkit .widget-tab > .lm-TabBar .lm-TabBar-tab:focus-visible { outline: 3px solid #E69F00; outline-offset: 1px; }
.plkit .jupyter-button, .plkit .widget-button, .plkit .widget-toggle-button, .plkit .widget-upload {
  width: auto; max-width: 100%; height: auto !important; min-height: var(--jp-widgets-inline-height, 28px);
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  line-height: 1.3 !important; padding-top: 4px !important; padding-bottom: 4px !important; }
.plkit .widget-toggle-buttons { display: flex; flex-wrap: wrap; gap: 4px 0; max-width: 100%;
  overflow: visible !important; height: auto !important; }
.plkit .widget-hbox, .plkit .widget-inline-hbox { flex-wrap: wrap; max-width: 100%; min-width: 0; }
.plkit .widget-inline-hbox > .widget-label { white-space: normal; max-width: 100%; height: auto;
  min-height: var(--jp-widgets-inline-height, 28px); }
.plkit.widget-box > *, .plkit .widget-box > *, .plkit .widget-inline-hbox > * { min-width: 0;
  max-width: calc(100% - 2 * var(--jp-widgets-margin, 2px)); }
/* A table too wide for the screen scrolls within itself (its caption stays whole). */
.plkit .widget-html-content table { display: block; max-width: 100%; overflow-x: auto; }
.plkit .widget-html-content table > caption { display: block; }
@media (max-width: 480px) {
  .plkit .widget-html-content th, .plkit .widget-html-content td { padding: 2px 4px !important; }
}
.plkit input, .plkit textarea, .plkit select { max-width: 100%; min-width: 0; box-sizing: border-box; }
.plkit img { max-width: 100%; height: auto; }
/* On a narrow screen a chart keeps the size it was drawn at, so its text stays readable, and its
   own box scrolls sideways instead of the page: WCAG 1.4.10 exempts such two-dimensional content. */
.plkit .plkit-chart { max-width: 100%; overflow-x: auto; }
.plkit .plkit-chart:focus-visible { outline: 3px solid #E69F00; outline-offset: 2px; }
.plkit .plkit-chart > img { display: block; max-width: 100%; height: auto; }
.plkit .plkit-chart-hint { display: none; margin: 4px 0; }
@media (max-width: 800px) { .plkit .plkit-chart > img { max-width: none; }
  .plkit .plkit-chart-hint { display: block; } }
.plkit .widget-label-basic { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; height: auto !important; line-height: 1.3; }
.plkit .widget-checkbox, .plkit .widget-dropdown, .plkit .widget-text, .plkit .widget-datepicker,
.plkit .widget-hslider {
  height: auto !important; min-height: var(--jp-widgets-inline-height, 28px); }
.plkit .widget-html-content { overflow-wrap: break-word; max-width: 100%; }
.plkit .jupyter-widget-Collapse-header { color: var(--jp-ui-font-color1, #1a1a1a) !important; }
.plkit-practice { margin: 10px 0 2px 0; line-height: 1.4; }
.plkit-card { border-left: 4px solid #0072B2; padding-left: 10px; margin: 12px 0 6px 0; }
.plkit a.plkit-button { display: inline-block; padding: 4px 12px; border-radius: 2px;
  background: #0072B2; color: white !important; text-decoration: none; line-height: 20px; }
.plkit a.plkit-button:focus { outline: 3px solid #E69F00; outline-offset: 2px; }
.plkit .plkit-problem { color: #a4262c; }
.jp-mod-dark .plkit .plkit-problem, body[data-jp-theme-light="false"] .plkit .plkit-problem { color: #ff9b9b; }
.plkit .widget-toggle-buttons .widget-toggle-button { width: auto; min-width: 150px; }
.plkit .widget-toggle-buttons .widget-toggle-button.mod-active { background: #0072B2;
  color: white; font-weight: bold; box-shadow: inset 0 0 0 2px #003a5c; }
.plkit .widget-toggle-buttons .widget-toggle-button.mod-active::before { content: "✓ "; }
.plkit .widget-toggle-buttons .widget-toggle-button:focus-visible { outline: 3px solid #E69F00;
  outline-offset: 1px; }
</style>
"""


def escape(text: str) -> str:
    """Escape user or content text for use inside an HTML widget."""
    return html.escape(text, quote=True)


def style_tag() -> widgets.HTML:
    return HTML(STYLE)


def text_box(
    label: str, value: str = "", *, rows: int = 3, placeholder: str = ""
) -> widgets.Textarea:
    """A text box with its (wrapping, visible) label above it, and its limit shown while empty."""
    box = widgets.Textarea(
        value=value,
        placeholder=with_limit(placeholder, MAX_TEXT),
        rows=rows,
        continuous_update=True,
        layout=widgets.Layout(width="auto"),
        style={"description_width": "initial"},
    )
    box.add_class("plkit-stacked")
    return watch_length(box, label, MAX_TEXT)


def line_box(label: str, value: str = "", *, placeholder: str = "") -> widgets.Text:
    """A one-line box; its limit shown while empty (unless it has an example to show)."""
    box = widgets.Text(
        value=value,
        placeholder=placeholder or with_limit("", MAX_LINE),
        continuous_update=True,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="auto", min_width="16em"),
    )
    return watch_length(box, label, MAX_LINE)


def watch_length(box: widgets.Textarea | widgets.Text, label: str, limit: int):
    """Label ``box``; while it holds more than ``limit`` characters, its label says so."""
    box.tooltip = f"Up to {limit:,} characters"
    box.description_allow_html = True
    plain = escape(label)

    def show(change=None) -> None:
        length = len(box.value)
        box.description = plain if length <= limit else (
            f'{plain} <strong class="plkit-problem">Too long to save: {length:,} characters '
            f"(at most {limit:,})</strong>"
        )

    box.observe(show, "value")
    show()
    return box


def with_limit(placeholder: str, limit: int) -> str:
    limit_text = f"up to {limit:,} characters"
    return f"{placeholder} ({limit_text})" if placeholder else limit_text.capitalize()


def figure_html(fig, alt: str) -> str:
    """An <img> holding the figure as PNG, with alternative text for screen readers."""
    return chart_html(base64.b64encode(to_png(fig)).decode("ascii"), alt)


def chart_html(png_base64: str, alt: str) -> str:
    """A chart's picture in its own box: on a narrow screen the picture keeps a readable size and
    the box scrolls sideways (with the keyboard too: the box can take focus); the alternative text
    gives every number."""
    return ('<p class="plkit-chart-hint"><small>The chart is wider than the screen: swipe or scroll '
            'it sideways to see all of it.</small></p>'
            f'<div class="plkit-chart" tabindex="0" role="group" aria-label="Chart">'
            f'<img src="data:image/png;base64,{png_base64}" alt="{escape(alt)}"></div>')


def row(children: list, **layout) -> widgets.HBox:
    """Controls side by side, wrapping on narrow screens."""
    box = widgets.HBox(
        children, layout=widgets.Layout(flex_flow="row wrap", align_items="center", **layout)
    )
    box.add_class("plkit-row")
    return box
