"""Reading a CSV export the way it arrives: any common encoding, BOM, CRLF, quoted newlines."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Notes can be long; exports are trusted to the size limit of the file, not of a field.
FIELD_LIMIT = 64 * 1024 * 1024
csv.field_size_limit(FIELD_LIMIT)

ENCODINGS = ("utf-8", "cp1252", "latin-1")
# No CRM export has a header anywhere near these; a damaged or hostile file can (one of
# 16M columns took minutes and gigabytes to match against every format).
MAX_COLUMNS = 2_000
MAX_HEADER_CHARS = 1 << 20
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class CsvError(Exception):
    """A file that cannot be read as CSV at all (not a row problem)."""


@dataclass(frozen=True, slots=True)
class Record:
    """One CSV record: the physical lines it spans, its fields, or why it cannot be read."""

    line: int
    end_line: int
    fields: list[str]
    error: str = ""


@dataclass(frozen=True, slots=True)
class CsvTable:
    path: Path
    encoding: str
    header: tuple[str, ...]
    text: str
    header_lines: int
    # File-level remarks for the report (encoding fallback, NUL bytes removed).
    notes: tuple[str, ...] = ()

    def rows(self) -> Iterator[Record]:
        """Yield every non-blank record after the header, numbered by physical line.

        A record the csv module cannot parse, or one whose quote was never closed (it
        swallowed the lines after it), comes back with ``error`` set instead of failing
        the file, so the caller can count it as rejected.
        """
        raw: list[str] = []  # the physical lines of the record being read
        reader = csv.reader(_physical_lines(self.text, raw))
        while reader.line_num < self.header_lines:
            try:
                next(reader)
            except (StopIteration, csv.Error):
                return
        previous_end = reader.line_num
        while True:
            raw.clear()
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                start, previous_end = previous_end + 1, reader.line_num
                yield Record(start, previous_end, [], f"cannot read this record: {exc}")
                continue
            start, previous_end = previous_end + 1, reader.line_num
            if not fields or (not fields[0].strip() and all(not f.strip() for f in fields)):
                continue
            # Only a record that spans lines, or ends in a line break, can hide an
            # unclosed quote: count quotes in its raw text only then.
            if (previous_end > start or fields[-1].endswith(("\n", "\r"))) and "".join(raw).count(
                '"'
            ) % 2:
                span = (
                    f"lines {start}-{previous_end}" if previous_end > start else "the end of file"
                )
                yield Record(
                    start,
                    previous_end,
                    fields,
                    f"a quote opened in this row is never closed; it runs to {span}",
                )
                continue
            yield Record(start, previous_end, fields)


# Characters str.splitlines breaks at besides CR and LF; a text with any of them is split
# by the slower regex below so lines stay exactly what ``newline=""`` reading gives.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_CHUNK = 1 << 20


def _physical_lines(text: str, raw: list[str]) -> Iterator[str]:
    """The lines of ``text`` split like ``io.StringIO(text, newline="")`` (only CR, LF and
    CRLF end a line, ends kept), each also appended to ``raw``.

    Reads the text in place, a chunk at a time: no second copy of a 100 MB file.
    """
    append = raw.append
    if _OTHER_BREAKS.search(text):
        for m in _LINE.finditer(text):
            line = m.group()
            append(line)
            yield line
        return
    pos, size = 0, len(text)
    while pos < size:
        cut = text.find("\n", pos + _CHUNK)  # chunks end after a LF: never inside a CRLF
        end = size if cut < 0 else cut + 1
        for line in text[pos:end].splitlines(keepends=True):
            append(line)
            yield line
        pos = end


class _Lines:
    """Physical lines of a text (split like ``newline=""``), remembering the ones read."""

    def __init__(self, text: str) -> None:
        self.raw: list[str] = []
        self._it = _physical_lines(text, self.raw)
        self.count = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._it)
        self.count += 1
        return line


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes: UTF-16 with a BOM, UTF-8 (with or without BOM), then cp1252, then Latin-1."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    bom = data.startswith(_UTF8_BOM)
    body = data[len(_UTF8_BOM) :] if bom else data
    for encoding in ENCODINGS:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, ("utf-8-sig" if bom and encoding == "utf-8" else encoding)
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


def _utf8_error(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return f"byte 0x{data[exc.start]:02X} on line {line}"
    return ""  # pragma: no cover


_FOOTER_WORDS = ("copyright", "salesforce.com", "confidential information", "generated by")


def _strip_report_footer(text: str) -> tuple[str, int]:
    """Cut the footer a Salesforce report export appends after a blank line.

    The footer is a block of one-cell lines (report title, "Copyright (c) 2000-2026
    salesforce.com, inc.", "Confidential Information - Do Not Distribute", "Generated By:
    ..."); it is only recognised when one of those lines says so.
    """
    tail = text[-4096:]
    # Physical lines as the reader and the cut below see them: only CR/LF end a line.
    # (str.splitlines also breaks at U+2028, NEL, form feed..., so the cut used to take
    # the last data row along with the footer.)
    lines = [line.rstrip("\r\n") for line in io.StringIO(tail, newline="")]
    footer: list[str] = []
    for line in reversed(lines):
        if not line.strip():
            break
        cells = next(csv.reader([line]), [])
        if len(cells) != 1:
            return text, 0
        footer.append(cells[0].lower())
    else:
        return text, 0
    if not footer or not any(w in f for f in footer for w in _FOOTER_WORDS):
        return text, 0
    body = text.rstrip("\r\n")
    for _ in footer:
        body = body[: max(body.rfind("\n"), body.rfind("\r"), 0)].rstrip("\r\n")
    return body + "\n", len(footer)


def open_table(path: Path) -> CsvTable:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CsvError(f"{path}: cannot read file: {exc.strerror or exc}") from None
    if data.startswith(b"PK\x03\x04"):
        raise CsvError(f"{path}: this is an Excel workbook or zip file, not CSV; save it as CSV")
    text, encoding = decode(data)
    notes: list[str] = []
    if encoding in ("cp1252", "latin-1"):
        notes.append(
            f"not valid UTF-8 ({_utf8_error(data)}); read as {encoding}, check accented text"
        )
    if "\x00" in text:
        first = text[: text.index("\x00")].count("\n") + 1
        notes.append(
            f"{text.count(chr(0))} NUL byte(s) removed (first on line {first}); "
            "the file may be damaged or saved in another encoding"
        )
        text = text.replace("\x00", "")
    text, footer = _strip_report_footer(text)
    if footer:
        notes.append(f"report footer ignored ({footer} lines: title, copyright, generated by)")
    _check_header_size(path, text)
    lines = _Lines(text)
    reader = csv.reader(lines)
    header: list[str] = []
    while not any(h.strip() for h in header):
        try:
            header = next(reader)
        except StopIteration:
            raise CsvError(f"{path}: the file is empty (expected a header row)") from None
        except csv.Error as exc:
            raise CsvError(f"{path}: line 1: cannot read the header row: {exc}") from None
    if len(header) > MAX_COLUMNS:
        raise CsvError(
            f"{path}: line {lines.count}: the header row has {len(header):,} columns; a CRM "
            f"export has at most {MAX_COLUMNS:,} (is this file damaged, or not an export?)"
        )
    cleaned = tuple(h.strip().lstrip("\ufeff").strip() for h in header)
    return CsvTable(path, encoding, cleaned, text, lines.count, tuple(notes))


def _check_header_size(path: Path, text: str) -> None:
    """Refuse a first line too long to be a header before the csv module splits it."""
    start = len(text) - len(text.lstrip("\r\n"))
    ends = [i for i in (text.find("\n", start), text.find("\r", start)) if i >= 0]
    length = (min(ends) if ends else len(text)) - start
    if length > MAX_HEADER_CHARS:
        raise CsvError(
            f"{path}: line 1: the header row is {length / (1 << 20):.1f} MB long; a CRM export's "
            f"is a few KB (at most {MAX_HEADER_CHARS >> 20} MB is read): is this file "
            "damaged, or not an export?"
        )
