"""Directory search: one box, accent- and case-insensitive, tolerant of small typos.

Every row keeps a normalised `search_text`. A query first matches its words as substrings
(the common case, one SQL query). When that finds nothing, each word is widened to the close
words of the CPTS's vocabulary (RapidFuzz), so « hopitl » still finds « Hôpital ».
"""

import hashlib
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.cache import cache
from django.db.models import Count, Max, Q
from rapidfuzz import fuzz, process

from tocsin.directory.text import tokens

MAX_SUGGESTIONS = 5


@dataclass
class SearchResult:
    queryset: object
    words: list[str] = field(default_factory=list)
    corrected: dict[str, list[str]] = field(default_factory=dict)  # word → words used instead


def search(queryset, query: str) -> SearchResult:
    words = tokens(query)
    if not words:
        return SearchResult(queryset)
    exact = queryset.filter(_all_words(words))
    if exact.exists():
        return SearchResult(exact, words)
    vocabulary = _vocabulary(queryset)
    corrected = {w: _close_words(w, vocabulary) for w in words}
    condition = Q()
    for word in words:
        alternatives = corrected[word] or [word]
        condition &= reduce(or_, (Q(search_text__contains=a) for a in alternatives))
    changed = {w: alts for w, alts in corrected.items() if alts and alts != [w]}
    return SearchResult(queryset.filter(condition), words, changed)


def _all_words(words) -> Q:
    return reduce(lambda q, w: q & Q(search_text__contains=w), words, Q())


def _close_words(word: str, vocabulary: list[str]) -> list[str]:
    if any(word in known for known in vocabulary):
        return [word]
    cutoff = 80 if len(word) > 4 else 70
    matches = process.extract(
        word, vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=MAX_SUGGESTIONS
    )
    return [match for match, _score, _index in matches]


def _vocabulary(queryset) -> list[str]:
    """Distinct words of the rows, cached until a row of the queryset changes."""
    stamp = queryset.aggregate(n=Count("id"), last=Max("updated_at"))
    scope = f"{queryset.model._meta.label}|{queryset.query}|{stamp}"
    key = "directory-vocabulary:" + hashlib.sha256(scope.encode()).hexdigest()
    vocabulary = cache.get(key)
    if vocabulary is None:
        words = set()
        for text in queryset.values_list("search_text", flat=True).iterator(chunk_size=5000):
            words.update(text.split(" "))
        vocabulary = sorted(w for w in words if len(w) > 1)
        cache.set(key, vocabulary, 60 * 60)
    return vocabulary
