"""Content CSV files: read as UTF-8 text of bounded size, with messages naming file, row and column."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from plkit.errors import ContentError
from plkit.files import FileProblem, display_name, read_regular_file

MAX_CONTENT_BYTES = 2_000_000
MAX_ROWS = 5_000
MAX_COLUMNS = 60
MAX_CELL = 4_000  # characters in one cell; the longest shipped cell has about 1,100
SAVE_AS_UTF8 = (
    "In your spreadsheet, use Save As (or Download) with the type 'CSV UTF-8', and use that file."
)
_COLUMN_NAME = re.compile(r"[a-z0-9_. -]{1,40}")  # a name shown beside a column's letter
_SURROGATE = re.compile("[\ud800-\udfff]")  # a byte that is not UTF-8 (or a lone surrogate)
# Control characters other than tab and line breaks (C0, DEL and C1).
_NOT_TEXT = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Table:
    """A CSV file's rows, each with its spreadsheet row number (the header is row 1).

    Each row holds the required columns only; other columns (a district's notes) are ignored.
    """

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]

    def error(self, number: int, column: str, message: str) -> ContentError:
        """An error naming the file, row and column (letter and name) of a bad cell."""
        return ContentError(
            "content-invalid",
            f"{self.name}, {_where(number, self.header.index(column), self.header)}: {message}",
        )


def column_letter(index: int) -> str:
    """The spreadsheet letter of a column counted from 0: A, B, … Z, AA, …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _where(number: int, index: int, header: tuple[str, ...] | list[str]) -> str:
    name = header[index] if index < len(header) else ""
    named = f" ({name})" if _COLUMN_NAME.fullmatch(name) else ""
    return f"row {number}, column {column_letter(index)}{named}"


def shown(value: str, limit: int = 60) -> str:
    """A cell's text quoted in a message: on one line, and cut short if long."""
    text = " ".join(value.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_table(path: str | Path, required: tuple[str, ...]) -> Table:
    """Read a CSV file, checking it is UTF-8 text of bounded size with the required columns."""
    path = Path(path)
    name = display_name(path.name or str(path))
    try:
        raw = read_regular_file(path, MAX_CONTENT_BYTES)
    except FileProblem as problem:
        if problem.code == "file-missing":
            raise ContentError(
                "content-missing", f"{name}: the file was not found ({display_name(path)})."
            ) from None
        if problem.code == "file-too-large":
            raise ContentError(
                "content-too-large", f"{name}: {problem.message}; is it the right file?"
            ) from None
        if problem.code in ("file-folder", "file-not-regular"):
            raise ContentError(
                "content-unreadable",
                f"{name}: {problem.message}, so it was not read. Give the path of a CSV file.",
            ) from None
        raise ContentError("content-unreadable", f"{name}: {problem.message}.") from None
    table = _cells(name, _decode(name, raw))
    header = [cell.strip().lower() for cell in table[0]] if table else []
    for column in required:
        if column not in header:
            raise ContentError(
                "content-header",
                f"{name}, row 1: the column '{column}' is missing. "
                f"The first row must name the columns {', '.join(required)}.",
            )
    for index, column in enumerate(header):
        if column and header.index(column) < index:
            raise ContentError(
                "content-header",
                f"{name}, {_where(1, index, header)}: this column has the same name as column "
                f"{column_letter(header.index(column))}; give each column its own name.",
            )
    positions = {column: header.index(column) for column in required}  # other columns are notes
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        extra = cells[len(header) :]
        if any(cell.strip() for cell in extra):
            raise ContentError(
                "content-row-length",
                f"{name}, row {number}, column {column_letter(len(header))}: this row has "
                f"{len(cells)} cells but the header names {len(header)} columns "
                "(a text with a comma needs quotes around it).",
            )
        rows.append(
            (
                number,
                {
                    column: cells[index].strip() if index < len(cells) else ""
                    for column, index in positions.items()
                },
            )
        )
    return Table(name, tuple(header), tuple(rows))


def _decode(name: str, raw: bytes) -> str:
    """The file's text; bytes that are not UTF-8 are kept as lone surrogates, to be found by row."""
    head = raw[:4096]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(0) > len(head) // 4:
        raise ContentError(
            "content-encoding",
            f"{name}: the file is saved as UTF-16 ('Unicode text'), not as CSV UTF-8. {SAVE_AS_UTF8}",
        )
    text = raw.decode("utf-8-sig", "surrogateescape")
    if not text.strip():
        raise ContentError("content-empty", f"{name}: the file is empty.")
    return text


def _cells(name: str, text: str) -> list[list[str]]:
    """Every record of the CSV text, each cell checked to be text of bounded length."""
    records: list[list[str]] = []
    header: list[str] = []
    try:
        for cells in csv.reader(io.StringIO(text, newline="")):
            number = len(records) + 1
            if number > MAX_ROWS + 1:
                raise ContentError(
                    "content-too-large",
                    f"{name}: the file has more than {MAX_ROWS:,} rows; is it the right file?",
                )
            if len(cells) > MAX_COLUMNS:
                raise ContentError(
                    "content-too-large",
                    f"{name}, row {number}: this row has {len(cells):,} cells; a content file has "
                    f"at most {MAX_COLUMNS}.",
                )
            if not records:
                header = [cell.strip().lower() for cell in cells]
            for index, cell in enumerate(cells):
                if _NOT_TEXT.search(cell) or len(cell) > MAX_CELL:
                    _refuse_cell(f"{name}, {_where(number, index, header)}", cell)
            records.append(cells)
    except csv.Error as exc:
        number = len(records) + 1
        detail = (
            'a cell is far too long: perhaps a quote mark (") is opened and never closed'
            if "field larger" in str(exc)
            else f"it is not readable as CSV ({exc})"
        )
        raise ContentError("content-csv", f"{name}, row {number}: {detail}.") from None
    return records


def _refuse_cell(where: str, cell: str) -> None:
    bad = _NOT_TEXT.search(cell)
    if bad and _SURROGATE.match(bad.group()):
        raise ContentError(
            "content-encoding",
            f"{where}: this cell holds a character that is not UTF-8 text, so the file was "
            f"perhaps saved as 'CSV' in another encoding rather than 'CSV UTF-8'. {SAVE_AS_UTF8}",
        )
    if bad:
        raise ContentError(
            "content-invalid",
            f"{where}: this cell holds an invisible control character (U+{ord(bad.group()):04X}), "
            "which is not text; retype the cell or delete that character.",
        )
    raise ContentError(
        "content-invalid",
        f"{where}: this cell holds {len(cell):,} characters; a cell holds at most {MAX_CELL:,} "
        '(if the text should be shorter, a quote mark (") may be opened and never closed).',
    )
