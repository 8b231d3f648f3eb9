"""Vietnamese text as search sees it: folded tokens, exact tokens and syllable bigrams.

Everything here is pure Python and shared by indexing and querying, so both sides fold the
same way. Contracts:

- ``fold("Đăng KÝ")`` → ``"dang ki"``: NFC, lower case, diacritics and đ removed, i/y variants
  after a consonant unified (kí = ký = ki = ky), so people typing without accents still match.
- ``exact_key("Ký")`` → ``"kí"``: the token with its diacritics (lower case, NFC) and the same
  i/y and tone-placement variants unified ("hoà" = "hòa"), for ranking exact spellings first.
- ``segments(text)`` splits at punctuation; bigrams never cross a segment, so "Cấp, đổi" does
  not invent the word pair "cap doi".
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable

MAX_QUERY_CHARS = 200
MAX_QUERY_TOKENS = 12

_WORD = re.compile(r"[^\W_]+")
_SEGMENT_BREAK = re.compile(r"[,.;:!?()\[\]{}\"“”'‘’/\\|\n\r\t•–—+]+")
# A syllable made of an initial consonant and "y" is spelt with "i" just as well (kỹ/kĩ, lý/lí).
_CONSONANT_Y = re.compile(r"(b|c|ch|d|g|gh|h|k|kh|l|m|n|ng|nh|p|ph|qu|r|s|t|th|tr|v|x)y")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
# Control characters, invisible direction and width marks (which could flip how the echoed
# query reads), and lone surrogates (not encodable, so not storable as a miss).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
                      r"\ud800-\udfff]")


def clean_query(text: str) -> str:
    """The query as we will treat it: NFC, no control characters, cut to a sane length."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text or ""))
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def words(text: str) -> list[str]:
    """Lower-case NFC words (letters and digits), in order, diacritics kept."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def _strip_marks(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


@functools.lru_cache(maxsize=65536)  # a language has few distinct words: fold each once
def fold_word(word: str) -> str:
    """One lower-case word without diacritics, i/y unified: "ký" → "ki", "Đất" → "dat"."""
    folded = _strip_marks(word.lower())
    if _CONSONANT_Y.fullmatch(folded):
        folded = folded[:-1] + "i"
    return folded


@functools.lru_cache(maxsize=65536)
def exact_key(word: str) -> str:
    """A word with its diacritics, with spelling variants that mean the same unified."""
    decomposed = list(unicodedata.normalize("NFD", word.lower()))
    base = _strip_marks(word.lower())
    if _CONSONANT_Y.fullmatch(base):
        # The last base letter is the y: swap it for i and keep its tone mark.
        last = max(i for i, c in enumerate(decomposed) if c == "y")
        decomposed[last] = "i"
    elif base.endswith(("oa", "oe", "uy")) and len(decomposed) >= 2 and decomposed[-1] in _TONES:
        # Old and new tone placement ("hoà"/"hòa", "thuỷ"/"thủy"): keep it on the o/u.
        tone = decomposed.pop()
        first = len(decomposed) - 2
        decomposed.insert(first + 1, tone)
    return unicodedata.normalize("NFC", "".join(decomposed))


def fold(text: str) -> str:
    """The folded form of a whole text, words joined by single spaces."""
    return " ".join(fold_word(w) for w in words(text))


def segments(text: str) -> list[list[str]]:
    """Words of each punctuation-free stretch of ``text`` (diacritics kept, lower case)."""
    out = []
    for part in _SEGMENT_BREAK.split(text or ""):
        found = words(part)
        if found:
            out.append(found)
    return out


def bigrams(folded: list[str]) -> list[str]:
    """Consecutive-syllable pairs as single terms: ["giay", "phep"] → ["giay_phep"]."""
    return [f"{a}_{b}" for a, b in itertools.pairwise(folded)]


def has_marks(word: str) -> bool:
    """True when a word carries diacritics (or đ), i.e. its exact form says more than its fold."""
    return _strip_marks(word.lower()) != word.lower()


def index_terms(texts: Iterable[str], with_bigrams: bool = True) -> str:
    """Space-separated folded terms (and bigrams) of ``texts``, ready for a whitespace analyzer."""
    out: list[str] = []
    for text in texts:
        for segment in segments(text):
            folded = [fold_word(w) for w in segment]
            out.extend(folded)
            if with_bigrams:
                out.extend(bigrams(folded))
    return " ".join(out)


def exact_terms(texts: Iterable[str]) -> str:
    """Space-separated exact keys of the words of ``texts`` that carry diacritics."""
    return " ".join(exact_key(w) for text in texts for w in words(text) if has_marks(w))
