"""Turning what a clerk types into a safe full-text query, and abbreviations into index aliases.

Everything is folded first (see text.fold), so only [0-9a-z] words reach FTS5: quotes, '*', '-',
'AND', 'NEAR(' and emoji cannot form FTS5 syntax, and huge inputs are cut to a few words.
"""

from __future__ import annotations

from collections.abc import Mapping

from .text import fold, words

MAX_WORDS = 12
MAX_WORD_LEN = 40


def query_words(query: str) -> list[str]:
    return [w[:MAX_WORD_LEN] for w in words(query[:2000])][:MAX_WORDS]


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression: every word as a quoted prefix, all required. None if nothing to search."""
    ws = query_words(query)
    if not ws:
        return None
    return " ".join(f'"{w}"*' for w in ws)


def folded_phrase(query: str) -> str:
    """The query as folded words joined by spaces, for 'name starts with' ranking."""
    return " ".join(query_words(query))


def aliases_for(text: str, abbreviations: Mapping[str, str]) -> list[str]:
    """Abbreviations whose expansion occurs (as whole words) in a procedure's text.

    'Cấp giấy phép xây dựng nhà ở' → ['gpxd']: a clerk typing GPXD finds it.
    """
    haystack = f" {' '.join(words(text))} "
    found = []
    for abbr, expansion in abbreviations.items():
        phrase = " ".join(words(expansion))
        if phrase and f" {phrase} " in haystack:
            found.append(fold(abbr).replace(" ", ""))
    return sorted(set(found))


def synonym_aliases(text: str, synonyms: Mapping[str, str]) -> list[str]:
    """The words people say instead of the official name (data: resources/abbreviations.json
    'synonyms'), for a procedure whose text has the official phrase: 'Cấp đổi, cấp lại Giấy chứng nhận
    quyền sử dụng đất' → ['so do', 'so hong', 'bi mat', …], so "so hong bi mat" finds it."""
    haystack = f" {' '.join(words(text))} "
    found = []
    for said, official in synonyms.items():
        phrase = " ".join(words(official))
        if phrase and f" {phrase} " in haystack:
            found.append(" ".join(words(said)))
    return sorted(set(found))
