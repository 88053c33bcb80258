"""Reading the kit's pages as a browser or a Markdown viewer would, for the report tests.

Markdown is rendered with mistune (it comes with JupyterLab, through nbconvert), once as plain
CommonMark and once with the extras of GitHub and JupyterLab (tables, strikethrough, bare web
addresses made links, ``$maths$``), raw HTML allowed, as a careless viewer would.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import mistune
from markupsafe import escape

RENDERERS = {
    "commonmark": mistune.create_markdown(escape=False),
    "github+maths": mistune.create_markdown(
        escape=False, plugins=["strikethrough", "table", "url", "math", "footnotes"]
    ),
}

# Every element the kit's own pages use; anything else came from someone's text.
PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "div", "ul",
             "ol", "li", "strong", "img", "section", "dl", "dt", "dd", "table", "colgroup", "col",
             "tr", "th", "td"}
# Every element the kit's own Markdown makes, rendered (links, images and HTML are not among them).
MARKDOWN_TAGS = {"h1", "h2", "h3", "p", "ul", "ol", "li", "strong", "em", "blockquote", "br", "code"}


# Elements that begin a new line of text (the others run on inside a line).
BLOCKS = {"br", "p", "div", "li", "dt", "dd", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
          "ul", "ol", "section", "table", "blockquote", "title"}


class Page(HTMLParser):
    """The elements (with attributes) and the visible text of an HTML page or fragment."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[str] = []
        self._text: list[str] = []
        self._heading: list[str] | None = None
        self._hidden = 0
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in ("style", "title", "script"):
            self._hidden += 1
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []
        if tag in BLOCKS:
            self._text.append(" ")

    def handle_endtag(self, tag):
        if tag in ("style", "title", "script"):
            self._hidden -= 1
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append(normal("".join(self._heading)))
            self._heading = None
        if tag in BLOCKS:
            self._text.append(" ")

    def handle_data(self, data):
        if not self._hidden:
            self._text.append(data)
            if self._heading is not None:
                self._heading.append(data)

    @property
    def tags(self) -> set[str]:
        return {tag for tag, _ in self.elements}

    @property
    def text(self) -> str:
        return normal("".join(self._text))


def normal(text: str) -> str:
    """Text as a reader sees it: runs of white space as one space (NUL shows as U+FFFD)."""
    return " ".join(text.replace("\x00", "\ufffd").split())


def assert_safe_page(page: str, shown: list[str]) -> None:
    """Only the kit's own elements; pictures only the kit's embedded charts; every text in
    ``shown`` present, escaped."""
    parsed = Page(page)
    assert parsed.tags <= PAGE_TAGS, parsed.tags - PAGE_TAGS
    for tag, attrs in parsed.elements:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "img":
            assert (attrs.get("src") or "").startswith("data:image/png;base64,"), attrs
    for text in shown:
        assert str(escape(text)) in page, text


def assert_markdown_shows(markdown: str, shown: list[str], headings: int | None = None) -> None:
    """Rendered as CommonMark and as GitHub does, the Markdown makes only the kit's own elements
    (no link, image, HTML or maths from anyone's text), has ``headings`` headings, and shows
    every text in ``shown`` as it was typed."""
    for flavour, render in RENDERERS.items():
        parsed = Page(render(markdown))
        assert parsed.tags <= MARKDOWN_TAGS, (flavour, parsed.tags - MARKDOWN_TAGS)
        if headings is not None:
            assert len(parsed.headings) == headings, (flavour, parsed.headings)
        for text in shown:
            assert normal(text) in parsed.text, (flavour, text)
