"""Hypothesis strategies for content CSV files: mostly-valid copies of the shipped ones, broken.

``framework_csvs()`` gives the bytes of a framework file made from ``data/framework.csv`` with
a few mutations: cells replaced by hostile text (``$$``, ``unrated``, emoji, lone surrogates,
NUL, very long text), ids reused, rows dropped, duplicated or swapped, columns removed or renamed,
saved in another encoding (cp1252, UTF-16) or with a byte order mark, bytes damaged, or random
bytes. ``content_edits(folder)`` gives (file name, bytes) for one file of a content folder such
as ``data/understanding``, broken the same way.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import strategies as st

from plkit.content import FRAMEWORK_FILE, data_dir

HOSTILE_CELLS = [
    "",
    " ",
    "$$",
    "Raise $$ for laptops",
    "$x^2$",
    "\\frac{1}{2}",
    "unrated",
    "now",
    "not-sure",
    "framework",
    "scale",
    "theme",
    "approach",
    "practice",
    "resource",
    "prompt",
    "😀" * 3,
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u202etxet",
    "\ufeff",
    "\u2028",
    "a,b",
    '"',
    '"quoted',
    'say ""hi""',
    "line\nbreak",
    "tab\there",
    "<script>alert(1)</script>",
    "é",
    "Ça va",
    "١٢",
    "²",
    "9" * 5000,
    "-1",
    "1e309",
    "nan",
    "inf",
    "0",
    "99",
]


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


FRAMEWORK_ROWS = _rows(data_dir() / FRAMEWORK_FILE)


def cell_text() -> st.SearchStrategy[str]:
    """Text for one cell: any text, hostile text, lone surrogates, or very long text."""
    return st.one_of(
        st.text(max_size=20),
        st.sampled_from(HOSTILE_CELLS),
        st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3),
        st.builds(
            lambda c, n: c * n,
            st.sampled_from(["x", "é", "😀", "a b "]),
            st.sampled_from([81, 200, 3_999, 4_000, 4_001, 20_000]),
        ),
    )


@st.composite
def mutated_rows(draw, rows: list[list[str]]) -> list[list[str]]:
    """A copy of ``rows`` (header first) with a few mutations."""
    rows = [list(row) for row in rows]
    for _ in range(draw(st.integers(0, 4))):
        if not rows:
            break
        kind = draw(
            st.sampled_from(
                [
                    "cell",
                    "cell",
                    "cell",
                    "reuse",
                    "drop",
                    "duplicate",
                    "swap",
                    "drop-column",
                    "rename-column",
                    "add-cells",
                    "truncate",
                ]
            )
        )
        row = draw(st.integers(0, len(rows) - 1))
        width = max(len(rows[row]), 1)
        column = draw(st.integers(0, width - 1))
        if kind == "cell":
            rows[row][column : column + 1] = [draw(cell_text())]
        elif kind == "reuse":  # another row's cell here: duplicate ids, parents of the wrong kind
            other = rows[draw(st.integers(0, len(rows) - 1))]
            if other:
                rows[row][column : column + 1] = [other[min(column, len(other) - 1)]]
        elif kind == "drop":
            del rows[row]
        elif kind == "duplicate":
            rows.insert(row, list(rows[row]))
        elif kind == "swap":
            other = draw(st.integers(0, len(rows) - 1))
            rows[row], rows[other] = rows[other], rows[row]
        elif kind == "drop-column":
            for each in rows:
                del each[column : column + 1]
        elif kind == "rename-column":
            rows[0][column : column + 1] = [
                draw(
                    st.sampled_from(
                        ["ID", " id ", "id", "type", "text", "", "Text\n", draw(cell_text())]
                    )
                )
            ]
        elif kind == "add-cells":
            rows[row].extend(draw(st.lists(cell_text(), min_size=1, max_size=3)))
        else:
            del rows[draw(st.integers(0, len(rows))) :]
    return rows


def _encode(text: str, encoding: str) -> bytes:
    for errors in ("surrogateescape", "surrogatepass", "replace"):
        try:
            return text.encode(encoding, errors)
        except (UnicodeEncodeError, UnicodeError):
            continue
    return text.encode("utf-8", "replace")


@st.composite
def damaged(draw, raw: bytes) -> bytes:
    """``raw`` with a few bytes changed, inserted or cut off, now and then."""
    kind = draw(st.sampled_from(["none", "none", "none", "flip", "insert", "cut"]))
    if kind == "none" or not raw:
        return raw
    at = draw(st.integers(0, len(raw) - 1))
    if kind == "flip":
        return raw[:at] + bytes([draw(st.integers(0, 255))]) + raw[at + 1 :]
    if kind == "insert":
        return raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    return raw[:at]


@st.composite
def csv_files(draw, rows: list[list[str]]) -> bytes:
    """The bytes of a CSV file made from ``rows``, mutated, written and encoded in many ways."""
    if draw(st.integers(0, 19)) == 0:
        return draw(st.one_of(st.binary(max_size=300), st.just(b""), st.just(b"\xef\xbb\xbf")))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
    writer.writerows(draw(mutated_rows(rows)))
    encoding = draw(
        st.sampled_from(
            ["utf-8"] * 6 + ["utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "mac-roman"]
        )
    )
    return draw(damaged(_encode(buffer.getvalue(), encoding)))


def framework_csvs() -> st.SearchStrategy[bytes]:
    """Framework files: mostly-valid copies of the shipped one, broken in generated ways."""
    return csv_files(FRAMEWORK_ROWS)


def content_edits(folder: str) -> st.SearchStrategy[tuple[str, bytes]]:
    """(file name, bytes) for one CSV file of ``data/<folder>``, broken in generated ways."""
    files = sorted(path.name for path in (data_dir() / folder).glob("*.csv"))
    rows = {name: _rows(data_dir() / folder / name) for name in files}
    return st.sampled_from(files).flatmap(
        lambda name: st.tuples(st.just(name), csv_files(rows[name]))
    )
