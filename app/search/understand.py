"""Reading what people type beyond single words: question phrases that carry no subject,
words run together or split apart, and English word forms.

Pure Python over a ``Lexicon`` (what the index knows), like ``plan``, which calls these.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from app.search.text import fold_word

if TYPE_CHECKING:
    from app.search.plan import Lexicon

# Folded phrases of a question that say what is asked (how, where, how long, how much) but
# not about what: they weigh little and never decide whether a procedure matches.
QUESTION_PHRASES: tuple[tuple[str, ...], ...] = tuple(tuple(p.split()) for p in (
    "cho em hoi", "cho minh hoi", "cho toi hoi", "cho chau hoi", "cho hoi", "xin hoi",
    "hoi ve", "toi muon", "em muon", "minh muon", "toi can", "em can", "minh can",
    "can nhung gi", "can nhung giay to gi", "can giay to gi", "giay to gi", "can mang theo gi",
    "mang theo gi", "can chuan bi gi", "chuan bi gi", "can gi", "can lam gi", "phai lam gi",
    "lam gi", "can nhung", "o dau", "lam o dau", "nop o dau", "lam sao", "lam the nao",
    "nhu the nao", "the nao", "ra sao", "mat bao lau", "bao lau", "mat may ngay",
    "may ngay", "bao nhieu ngay", "trong bao lau", "het bao nhieu tien", "het bao nhieu",
    "bao nhieu tien", "bao nhieu", "mat bao nhieu", "co mat phi khong", "co mat tien khong",
    "mat phi", "co mien phi khong", "mien phi khong", "co duoc khong", "duoc khong",
    "thu tuc gi", "lam thu tuc", "thu tuc", "le phi", "phi", "khong a", "a",
    "vay", "nhe", "a oi", "oi",
))
QUESTION_FACTOR = 0.15  # the score weight of words inside a question phrase
MAX_PHRASE = max(len(p) for p in QUESTION_PHRASES)
_PHRASES = frozenset(QUESTION_PHRASES)
MIN_JOINED = 5  # shorter unknown words are typos, not words run together
MAX_JOINED = 40  # longer is no query a person types (and would only cost time)
MAX_SYLLABLE = 7  # "nghieng", the longest Vietnamese syllable
MIN_SHARED_PREFIX = 5
# A folded Vietnamese syllable: initial consonant, vowels, final consonant. A word that is not
# one ("certified", "birth", "copy") is read as English and matched with its other forms.
_SYLLABLE = re.compile(r"(ngh|gh|gi|kh|ng|nh|ph|qu|th|tr|ch|[bcdghklmnpqrstvx])?"
                       r"[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?")


def looks_english(word: str) -> bool:
    """True for an ASCII word that cannot be a Vietnamese syllable."""
    return word.isascii() and word.isalpha() and not _SYLLABLE.fullmatch(word)


def question_words(folded: list[str]) -> set[int]:
    """Positions of ``folded`` inside question phrases (longest phrase first, left to right)."""
    found: set[int] = set()
    i = 0
    while i < len(folded):
        for size in range(min(MAX_PHRASE, len(folded) - i), 0, -1):
            if tuple(folded[i:i + size]) in _PHRASES:
                found.update(range(i, i + size))
                i += size
                break
        else:
            i += 1
    return found


def split_joined(word: str, lexicon: Lexicon) -> list[str] | None:
    """Known syllables that ``word`` is made of ("dangkykethon" → dang, ki, ket, hon), or
    None. Fewest pieces win; among those, the most word pairs the index knows, then the
    commonest syllables. Pieces are folded the way the index folds ("ky" → "ki")."""
    if not MIN_JOINED <= len(word) <= MAX_JOINED or not word.isalpha() or not word.isascii():
        return None
    # best[i] = (pieces, -known pairs, -log df, pieces list) for word[:i]
    best: list[tuple[int, int, float, list[str]] | None] = [None] * (len(word) + 1)
    best[0] = (0, 0, 0.0, [])
    for end in range(2, len(word) + 1):
        for start in range(max(0, end - MAX_SYLLABLE), end - 1):
            before = best[start]
            if before is None:
                continue
            piece = fold_word(word[start:end])
            df = lexicon.df(piece)
            if not df:
                continue
            pieces = before[3]
            pair = bool(pieces) and bool(lexicon.pair_df(f"{pieces[-1]}_{piece}"))
            candidate = (before[0] + 1, before[1] - pair, before[2] - math.log(df),
                         [*pieces, piece])
            current = best[end]
            if current is None or candidate[:3] < current[:3]:
                best[end] = candidate
    found = best[len(word)]
    if found is None or found[0] < 2:
        return None
    # Run-together syllables form known pairs; a split that forms none is a coincidence.
    return found[3] if -found[1] >= (found[0] - 1) / 2 else None


def join_split(word: str, neighbour: str, lexicon: Lexicon) -> str | None:
    """The known word two typed pieces make together ("chi" + "eu" → "chieu"), or None."""
    joined = fold_word(word + neighbour)
    return joined if lexicon.df(joined) else None


def plural_forms(word: str, lexicon: Lexicon) -> list[str]:
    """The other number of an English noun, when the index knows it ("copy" → "copies");
    Vietnamese syllables never take these endings, so they gain nothing here."""
    if len(word) < 3 or not word.isascii() or not word.isalpha():
        return []
    forms = {word + "s", word + "es"}
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    elif word.endswith("s"):
        forms.add(word[:-1])
    return sorted(f for f in forms if f != word and lexicon.df(f))


def english_forms(word: str, lexicon: Lexicon) -> list[str]:
    """Index words sharing a long beginning with an unknown English-looking word, so
    "register" finds "registration" and "certified" finds "certificate"."""
    if len(word) < MIN_SHARED_PREFIX or not word.isascii() or not word.isalpha():
        return []
    stem = word[:-1] + "y" if word.endswith("ies") else word
    out = []
    for term in lexicon.prefix_terms("kw", stem[:MIN_SHARED_PREFIX]):
        shared = 0
        for a, b in zip(stem, term, strict=False):
            if a != b:
                break
            shared += 1
        if shared >= max(MIN_SHARED_PREFIX, math.ceil(0.7 * min(len(stem), len(term)))):
            out.append(term)
    return out[:4]
