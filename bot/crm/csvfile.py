"""Reading a CSV export the way it arrives: any common encoding, BOM, CRLF, quoted newlines."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Notes can be long; exports are trusted to the size limit of the file, not of a field.
csv.field_size_limit(64 * 1024 * 1024)

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


class CsvError(Exception):
    """A file that cannot be read as CSV at all (not a row problem)."""


@dataclass(frozen=True, slots=True)
class CsvTable:
    path: Path
    encoding: str
    header: tuple[str, ...]
    text: str
    header_lines: int

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Yield (first physical line of the record, fields) for every non-blank record."""
        reader = csv.reader(io.StringIO(self.text, newline=""))
        try:
            next(reader)
        except StopIteration:
            return
        previous_end = reader.line_num
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise CsvError(f"{self.path}: line {previous_end + 1}: {exc}") from None
            start = previous_end + 1
            previous_end = reader.line_num
            if not fields or all(not f.strip() for f in fields):
                continue
            yield start, fields


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes trying UTF-8 (with or without BOM) first, then Windows-1252, then Latin-1."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


def open_table(path: Path) -> CsvTable:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CsvError(f"{path}: cannot read file: {exc.strerror or exc}") from None
    text, encoding = decode(data)
    if "\x00" in text:
        text = text.replace("\x00", "")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise CsvError(f"{path}: the file is empty (expected a header row)") from None
    except csv.Error as exc:
        raise CsvError(f"{path}: line 1: cannot read the header row: {exc}") from None
    cleaned = tuple(h.strip().lstrip("\ufeff").strip() for h in header)
    if not any(cleaned):
        raise CsvError(f"{path}: line 1 is not a header row (no column names)")
    return CsvTable(path, encoding, cleaned, text, reader.line_num)
