"""What the directory importers share: the rejected-line record, the fatal error, line decoding.

The importers are pure functions over a binary stream: they never touch the database, so a
service can run them, show the rejected lines to the coordinator, and only then save.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

UTF8_BOM = b"\xef\xbb\xbf"
EXCERPT_LENGTH = 120


@dataclass(frozen=True)
class Rejected:
    line: int  # 1-based line number in the file
    reason: str  # a French sentence shown to the coordinator
    excerpt: str  # the beginning of the raw line, so the coordinator can find it


def reject_line(line: int, reason: str, text: str) -> Rejected:
    return Rejected(line=line, reason=reason, excerpt=text[:EXCERPT_LENGTH])


class FatalImportError(Exception):
    """The file as a whole is unusable (wrong format): nothing of it may be imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class LineDecoder:
    """Decodes one line at a time: UTF-8 until a line proves the file is not, cp1252 after.

    Public files come either wholly in UTF-8 (recent ones) or wholly in Latin-1/cp1252 (older
    ones), and are too large to read twice or to hold in memory. Sniffing the first megabyte
    is not enough: a national file can be pure ASCII for its first hundred thousand lines.
    So each line is tried as UTF-8 — an accented letter written in Latin-1 ("é" = 0xE9
    followed by an ASCII letter) is never valid UTF-8 — and the first line that fails switches
    the rest of the file to cp1252. The lines before it were ASCII, which both encodings
    read the same way.
    """

    def __init__(self):
        self.legacy = False

    def decode(self, raw: bytes) -> str:
        raw = raw.rstrip(b"\r\n")
        if not self.legacy:
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                self.legacy = True
        return decode_legacy(raw)


def decode_legacy(raw: bytes) -> str:
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte, so a line still reads.
        return raw.decode("latin-1")


def decode_lines(binary_stream: Iterable[bytes]) -> Iterator[tuple[int, str]]:
    """(line number, text without its line ending) for each line of a binary file."""
    decoder = LineDecoder()
    for number, raw in enumerate(binary_stream, start=1):
        if number == 1:
            raw = raw.removeprefix(UTF8_BOM)
        yield number, decoder.decode(raw)
