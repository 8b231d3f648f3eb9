"""Turn what a person typed into a query plan: what must match and what ranks higher.

Pure Python and independent of Whoosh: the backend turns a ``Plan`` into its own queries.
User text never reaches a query-language parser; only folded words do, as plain terms.

Matching: each query word is a *group* (the word, its typo correction, the syllables of words
run together, two split pieces joined, or the English word forms it shares a long beginning
with); a procedure matches when it contains enough groups (all of one or two words, 60 % of
longer queries; filler words like "thủ tục", "ở đâu" do not count, and question phrases such as
"cho hỏi", "mất bao lâu" also weigh little). A synonym ("sổ đỏ") or an abbreviation ("GKS")
satisfies the groups it covers when the procedure contains every word of one of its
expansions; an abbreviation's expansion scores like typed words.

Ranking (term boosts): names > keywords > documents and steps > the rest; consecutive word
pairs (bigrams) above the same words scattered; a word typed with its diacritics adds a bonus
where the name has exactly that spelling ("bán" above "bản").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from app.search import understand
from app.search.text import (
    MAX_QUERY_TOKENS,
    bigrams,
    exact_key,
    fold_word,
    has_marks,
    segments,
)

# (field, boost) for a single word, a word pair, a word of a synonym's expansion.
UNIGRAM_FIELDS = (("name", 3.0), ("kw", 2.0), ("body", 1.0), ("all", 0.5))
BIGRAM_FIELDS = (("name", 4.0), ("kw", 3.0))
EXPANSION_FIELDS = (("name", 1.5), ("kw", 1.0), ("body", 0.3))
EXPANSION_BIGRAM_FIELDS = (("name", 3.0), ("kw", 2.0))
EXACT_BOOST = 2.0
CORRECTION_FACTOR = 0.8
OTHER_FORM_FACTOR = 0.5  # "certification" when "certified" was typed
CODE_BOOST = 30.0
# Words that carry no subject in a citizen's question; scored, but not required to match.
FILLER = frozenset((
    "thu", "tuc", "lam", "gi", "nao", "dau", "sao", "the", "nhu", "bao", "nhieu", "lau", "can",
    "muon", "toi", "minh", "em", "anh", "chi", "o", "thi", "la", "co", "khong", "ko", "k", "cho",
    "cua", "va", "voi", "de", "duoc", "phai", "nhung", "cac", "mot", "hay", "hoac", "ve", "xin",
    "tai",
))


@dataclass(frozen=True)
class Synonym:
    """A folded term ("so do") and its expansions, each a list of folded words."""

    term: tuple[str, ...]
    expansions: tuple[tuple[str, ...], ...]
    abbreviation: bool = False  # shorthand for exactly its expansion: scored as typed


@dataclass
class Group:
    raw: str  # as typed (lower case)
    word: str  # folded
    alternatives: list[str]  # what to look for: the word itself, or its correction
    filler: bool
    synonyms: list[Synonym] = field(default_factory=list)
    shown: str = ""  # what "Did you mean" shows for this word ("" = as typed)


@dataclass
class Plan:
    groups: list[Group]
    terms: list[tuple[str, str, float]]  # (field, term, boost) to score with
    code: str | None  # the query looked like a procedure code
    corrected: bool  # some word was replaced by a correction

    @property
    def empty(self) -> bool:
        return not self.groups and not self.code

    def min_match(self, countable: int) -> int:
        return countable if countable <= 2 else math.ceil(countable * 0.6)

    def folded(self) -> str:
        return " ".join(g.word for g in self.groups)


class Lexicon:
    """What the index knows: word frequencies, used for typo correction. Subclassed by backends."""

    def df(self, word: str) -> int:
        raise NotImplementedError

    def pair_df(self, pair: str) -> int:
        raise NotImplementedError

    def prefix_terms(self, fieldname: str, prefix: str, limit: int = 64) -> list[str]:
        raise NotImplementedError


ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def edits(word: str) -> set[str]:
    """Every string one edit away (deletion, transposition, substitution, insertion)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in ALPHABET}
    out |= {a + c + b for a, b in splits for c in ALPHABET}
    out.discard(word)
    return out


def correct(word: str, before: str | None, after: str | None, lexicon: Lexicon) -> list[str]:
    """Corrections for an unknown word of 4+ letters, best first: one edit away and known,
    preferring those that form a known pair with a neighbour; or two known words run together.
    """
    if len(word) < 4 or not word.isalpha():
        return []

    def rank(candidate: str) -> tuple[int, int]:
        pairs = sum(lexicon.pair_df(p) for p in (
            f"{before}_{candidate}" if before else "", f"{candidate}_{after}" if after else "")
            if p)
        return pairs, lexicon.df(candidate)

    known = [c for c in edits(word) if lexicon.df(c)]
    if known:
        return sorted(known, key=rank, reverse=True)[:2]
    for i in range(2, len(word) - 1):
        a, b = word[:i], word[i:]
        if lexicon.pair_df(f"{a}_{b}"):
            return [f"{a} {b}"]
    return []


def _find_synonyms(folded: list[str], synonyms: dict[str, list[Synonym]]) -> list[
        tuple[int, Synonym]]:
    found = []
    for i, word in enumerate(folded):
        for syn in synonyms.get(word, []):
            if tuple(folded[i:i + len(syn.term)]) == syn.term:
                found.append((i, syn))
    return found


def _outermost(found: list[tuple[int, Synonym]]) -> list[Synonym]:
    """The synonyms not inside a longer one that matched: "mất sổ đỏ" means a lost
    certificate, not "sổ đỏ" in general, so only the longer one ranks."""
    spans = [(i, i + len(s.term)) for i, s in found]
    return [s for (_, s), (a, b) in zip(found, spans, strict=True)
            if not any(c <= a and b <= d and (c, d) != (a, b) for c, d in spans)]


def _word_terms(word: str, factor: float) -> list[tuple[str, str, float]]:
    return [(f, word, b * factor) for f, b in UNIGRAM_FIELDS]


def _expansion_terms(syn: Synonym) -> list[tuple[str, str, float]]:
    unigram, bigram = ((UNIGRAM_FIELDS, BIGRAM_FIELDS) if syn.abbreviation
                       else (EXPANSION_FIELDS, EXPANSION_BIGRAM_FIELDS))
    terms = []
    for words in syn.expansions:
        # An abbreviation is one idea however many words it stands for: its weight grows
        # with what was typed, not with the length of the expansion.
        share = min(1.0, 2.0 * len(syn.term) / len(words)) if syn.abbreviation else 1.0
        terms += [(f, w, b * share) for w in words for f, b in unigram]
        terms += [(f, p, b * share) for p in bigrams(list(words)) for f, b in bigram]
    return terms


def _join_split(raw_words: list[str], folded: list[str], lexicon: Lexicon,
                protected: set[str]) -> list[tuple[str, str, str | None]]:
    """(raw, folded, joined) per word, with pieces of a split word ("ho chi eu") joined when
    one of them is unknown and together they make a known word."""
    out: list[tuple[str, str, str | None]] = []
    i = 0
    while i < len(folded):
        if i + 1 < len(folded) and not {folded[i], folded[i + 1]} & protected and (
                not lexicon.df(folded[i]) or not lexicon.df(folded[i + 1])):
            joined = understand.join_split(folded[i], folded[i + 1], lexicon)
            if joined:
                out.append((raw_words[i] + raw_words[i + 1], joined, joined))
                i += 2
                continue
        out.append((raw_words[i], folded[i], None))
        i += 1
    return out


def _alternatives(i: int, words: list[tuple[str, str, str | None]], lexicon: Lexicon,
                  protected: set[str]) -> tuple[list[str], str]:
    """What to look for in place of word ``i``, and what "Did you mean" shows ("" = no
    correction): the word itself when known, else a typo fix, the syllables of words run
    together, or English word forms."""
    raw, word, joined = words[i]
    if joined:
        return [joined], joined
    if word in protected:
        return [word], ""
    if lexicon.df(word):
        if not understand.looks_english(word):
            return [word], ""
        forms = understand.plural_forms(word, lexicon) + understand.english_forms(word, lexicon)
        return [word, *dict.fromkeys(f for f in forms if f != word)], ""
    # Long unknown words are more often words run together than typos; short ones the reverse.
    pieces = understand.split_joined(word, lexicon)
    if pieces and len(word) > 6:
        return [" ".join(pieces)], _spaced(raw, pieces)
    before = words[i - 1][1] if i else None
    after = words[i + 1][1] if i + 1 < len(words) else None
    fixes = correct(word, before, after, lexicon)
    if fixes:
        return fixes[:1], fixes[0]
    forms = understand.english_forms(word, lexicon)
    if forms:
        return forms, ""
    if pieces:
        return [" ".join(pieces)], _spaced(raw, pieces)
    return [word], ""


def _spaced(raw: str, pieces: list[str]) -> str:
    """``raw`` cut where the folded pieces end (folding keeps one letter per letter)."""
    out, at = [], 0
    for piece in pieces:
        out.append(raw[at:at + len(piece)])
        at += len(piece)
    return " ".join(out)


def make_plan(query: str, lexicon: Lexicon, synonyms: dict[str, list[Synonym]],
              looks_like_code: Callable[[str], bool]) -> Plan:
    """The plan for a cleaned query (see ``text.clean_query``); never raises on any text."""
    raw_words = [w for seg in segments(query) for w in seg][:MAX_QUERY_TOKENS]
    stripped = query.strip().lower()
    code = stripped if looks_like_code(stripped) else None
    protected = {w for syns in synonyms.values() for s in syns for w in s.term}
    words = _join_split(raw_words, [fold_word(w) for w in raw_words], lexicon, protected)
    asked = understand.question_words([word for _, word, _ in words])
    groups: list[Group] = []
    terms: list[tuple[str, str, float]] = []
    for i, (raw, word, _joined) in enumerate(words):
        alternatives, shown = _alternatives(i, words, lexicon, protected)
        question = i in asked
        groups.append(Group(raw, word, alternatives, question or word in FILLER, shown=shown))
        factor = understand.QUESTION_FACTOR if question else (
            CORRECTION_FACTOR if alternatives[0] != word else 1.0)
        for n, alt in enumerate(alternatives):  # other word forms match, but rank lower
            for part in alt.split():
                terms += _word_terms(part, factor if n == 0 else factor * OTHER_FORM_FACTOR)
        if has_marks(raw):
            terms.append(("name_x", exact_key(raw), EXACT_BOOST * (0.2 if question else 1)))
    flat = [part for i, g in enumerate(groups) if i not in asked
            for part in g.alternatives[0].split()]
    terms += [(f, p, b) for p in bigrams(flat) for f, b in BIGRAM_FIELDS]
    best = [g.alternatives[0] for g in groups]
    found = _find_synonyms(best, synonyms)
    for start, syn in found:  # every synonym found lets a procedure match …
        for group in groups[start:start + len(syn.term)]:
            group.synonyms.append(syn)
    for syn in _outermost(found):  # … the most specific ones rank
        terms += _expansion_terms(syn)
    return Plan(groups, terms, code, any(g.shown for g in groups))


def suggestion(plan: Plan) -> str | None:
    """The query with its corrections ("Did you mean …?"), or None when nothing was corrected."""
    if not plan.corrected:
        return None
    return " ".join(g.shown or g.raw for g in plan.groups)
