"""Text normalisation for search: no accents, no case, single spaces."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """« Hôpital Saint-Nazaire » → « hopital saint nazaire »."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("œ", "oe").replace("æ", "ae")
    return _NON_WORD.sub(" ", stripped).strip()


def tokens(text: str) -> list[str]:
    return [t for t in normalize(text).split(" ") if t]
