"""CSV files as French spreadsheet software opens them, and safe to open.

Semicolons and a UTF-8 BOM: Excel and LibreOffice then show columns and accents without an
import wizard. Any text starting like a formula is quoted, so a name such as
"=HYPERLINK(…)" typed into Tocsin stays text in the file (CSV injection).
"""

import csv
import io

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def french_csv(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows([text_cell(value) for value in row] for row in rows)
    return "\ufeff" + buffer.getvalue()
