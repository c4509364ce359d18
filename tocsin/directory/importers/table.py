"""Rows of a spreadsheet a CPTS already keeps (CSV or XLSX), as dicts keyed by header.

CSV files come from Excel or LibreOffice in any of the usual shapes: `;` or `,` or tab
separated, UTF-8 (with or without BOM) or Windows-1252. The first non-empty row is the header.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from tocsin.directory.importers.base import FatalImportError, decode_lines

DELIMITERS = ";,\t|"


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]  # (line number, values by header)


def read_table(binary_stream, filename: str) -> Table:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(binary_stream)
    return _read_csv(binary_stream)


def _read_csv(binary_stream) -> Table:
    numbered = ((n, text) for n, text in decode_lines(binary_stream) if text.strip())
    first = next(numbered, None)
    if first is None:
        raise FatalImportError("Le fichier est vide.")
    delimiter = max(DELIMITERS, key=first[1].count)
    if first[1].count(delimiter) == 0:
        raise FatalImportError(
            "Impossible de reconnaître les colonnes : la première ligne doit contenir les "
            "intitulés séparés par des points-virgules, des virgules ou des tabulations."
        )
    headers = _headers(next(csv.reader([first[1]], delimiter=delimiter)))

    def rows():
        for number, text in numbered:
            values = next(csv.reader([text], delimiter=delimiter))
            yield number, dict(zip(headers, [v.strip() for v in values], strict=False))

    return Table(headers, rows())


def _read_xlsx(binary_stream) -> Table:
    from openpyxl import load_workbook

    data = binary_stream.read() if hasattr(binary_stream, "read") else bytes(binary_stream)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FatalImportError("Ce fichier n'est pas un classeur Excel (.xlsx) lisible.") from exc
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header_row = next(lines, None)
    if not header_row or not any(header_row):
        raise FatalImportError("La première feuille du classeur est vide.")
    headers = _headers(["" if v is None else str(v) for v in header_row])

    def rows():
        for number, values in enumerate(lines, start=2):
            texts = [_cell(v) for v in values]
            if any(texts):
                yield number, dict(zip(headers, texts, strict=False))

    return Table(headers, rows())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone or a code typed as a number in Excel
    return str(value).strip()


def _headers(raw: list[str]) -> list[str]:
    """Headers stripped, blank ones named after their position, duplicates numbered."""
    seen: dict[str, int] = {}
    headers = []
    for index, name in enumerate(raw, start=1):
        name = name.strip() or f"Colonne {index}"
        seen[name] = seen.get(name, 0) + 1
        headers.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return headers
