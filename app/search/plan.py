"""Turn what a person typed into a query plan: what must match and what ranks higher.

Pure Python and independent of Whoosh: the backend turns a ``Plan`` into its own queries.
User text never reaches a query-language parser; only folded words do, as plain terms.

Matching: each query word is a *group* (the word, or its typo correction); a procedure matches
when it contains enough groups (all of one or two words, 60 % of longer queries; filler words
like "thủ tục", "ở đâu" do not count). A synonym ("sổ đỏ") satisfies the groups it covers
when the procedure contains every word of one of its expansions.

Ranking (term boosts): names > keywords > documents and steps > the rest; consecutive word
pairs (bigrams) above the same words scattered; a word typed with its diacritics adds a bonus
where the name has exactly that spelling ("bán" above "bản").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

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


@dataclass
class Group:
    raw: str  # as typed (lower case)
    word: str  # folded
    alternatives: list[str]  # what to look for: the word itself, or its correction
    filler: bool
    synonyms: list[Synonym] = field(default_factory=list)


@dataclass
class Plan:
    groups: list[Group]
    terms: list[tuple[str, str, float]]  # (field, term, boost) to score with
    code: str | None  # the query looked like a procedure code
    corrected: bool  # some word was replaced by a correction
    marks: set[str]  # folded words worth highlighting

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


ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def _edits(word: str) -> set[str]:
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

    known = [c for c in _edits(word) if lexicon.df(c)]
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


def _word_terms(word: str, factor: float) -> list[tuple[str, str, float]]:
    return [(f, word, b * factor) for f, b in UNIGRAM_FIELDS]


def _expansion_terms(syn: Synonym) -> list[tuple[str, str, float]]:
    terms = []
    for words in syn.expansions:
        terms += [(f, w, b) for w in words for f, b in EXPANSION_FIELDS]
        terms += [(f, p, b) for p in bigrams(list(words)) for f, b in EXPANSION_BIGRAM_FIELDS]
    return terms


def make_plan(query: str, lexicon: Lexicon, synonyms: dict[str, list[Synonym]],
              looks_like_code: Callable[[str], bool]) -> Plan:
    """The plan for a cleaned query (see ``text.clean_query``); never raises on any text."""
    raw_words = [w for seg in segments(query) for w in seg][:MAX_QUERY_TOKENS]
    folded = [fold_word(w) for w in raw_words]
    stripped = query.strip().lower()
    code = stripped if looks_like_code(stripped) else None
    groups: list[Group] = []
    terms: list[tuple[str, str, float]] = []
    synonym_words = {w for syns in synonyms.values() for s in syns for w in s.term}
    corrected = False
    for i, (raw, word) in enumerate(zip(raw_words, folded, strict=True)):
        alternatives = [word]
        if not lexicon.df(word) and word not in synonym_words:
            before = folded[i - 1] if i else None
            after = folded[i + 1] if i + 1 < len(folded) else None
            fixes = correct(word, before, after, lexicon)
            if fixes:
                alternatives = fixes[:1]
                corrected = True
        groups.append(Group(raw, word, alternatives, word in FILLER))
        for alt in alternatives:
            for part in alt.split():
                terms += _word_terms(part, 1.0 if alt == word else CORRECTION_FACTOR)
        if has_marks(raw):
            terms.append(("name_x", exact_key(raw), EXACT_BOOST))
    flat = [part for g in groups for part in g.alternatives[0].split()]
    terms += [(f, p, b) for p in bigrams(flat) for f, b in BIGRAM_FIELDS]
    best = [g.alternatives[0] for g in groups]
    for start, syn in _find_synonyms(best, synonyms):
        for group in groups[start:start + len(syn.term)]:
            group.synonyms.append(syn)
        terms += _expansion_terms(syn)
    marks = {p for g in groups for a in g.alternatives for p in a.split()}
    marks |= {w for g in groups for s in g.synonyms for e in s.expansions for w in e}
    return Plan(groups, terms, code, corrected, marks)


def suggestion(plan: Plan) -> str | None:
    """The query with its corrections ("Did you mean …?"), or None when nothing was corrected."""
    if not plan.corrected:
        return None
    return " ".join(g.raw if g.alternatives == [g.word] else g.alternatives[0]
                    for g in plan.groups)
