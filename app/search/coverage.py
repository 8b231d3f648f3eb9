"""Which matches answer the query: its distinctive words covered by a procedure's names,
keywords, synonyms or abbreviations.

Matching (``engine.matching``) is generous: any field, 60 % of the words. That finds the
right procedure for nearly every way people ask, but it also lists procedures for things
the centre does not handle ("giay phep lai xe" found "Cấp lại giấy phép hộ kinh doanh").
A procedure is *listed* only when it covers the query here; the other matches are "less
related" (``more``). The rules:

- common words ("đăng ký", "cấp", "làm", "xin", "giấy") cannot carry a match on their own:
  they count only when the query has nothing else; question and filler words never count;
- a word counts where the procedure's names or keywords (or a synonym's expansion) have it;
- a Vietnamese syllable typed without diacritics stands for several words ("lai": lại, lái,
  lai …), so where it has neighbours in the query it counts only where the fuller phrase
  agrees: the procedure has it in a word pair with a neighbour ("lai xe" is not "cấp lại").
  A word typed with diacritics needs the pair too (long official names hold most words of
  the language: "doanh" and "nghiệp" are both in a land procedure's name); a query typed
  with diacritics elsewhere tells that its bare words are meant bare, so they need none;
- of three or more counted words, one in three may be missing, unless a word is unknown to
  the whole catalogue ("gia hạn visa": the catalogue has "gia hạn", never "visa").
"""

from __future__ import annotations

from app.search import bits
from app.search.plan import FILLER, Group, Plan, edits
from app.search.text import bigrams, has_marks
from app.search.understand import looks_english

# Folded words that appear in the names of many procedures and say little about which.
COMMON = frozenset(("dang", "ki", "cap", "lam", "xin", "giay", "to", "nop", "don", "moi",
                    "hoi", "viec", "doi", "ho so"))
# Words that carry no subject (besides ``plan.FILLER`` and question phrases): Vietnamese
# function words and English ones that are no Vietnamese syllable in a name.
NOT_COUNTED = FILLER | frozenset((
    "tren", "trong", "khi", "sang", "bi", "da", "roi", "nay", "sau", "truoc", "nhe", "oi", "ah",
    "of", "for", "with", "by", "from", "and", "or", "at", "on", "in", "an", "my", "i", "how",
    "what", "where", "get", "is", "need", "please", "apply", "want", "can"))
MIN_UNKNOWN = 4  # an unknown word shorter than this is a typo (``plan.correct`` skips them)


def _names_or_keywords(view, term: str) -> int:
    return view.docs("name", term) | view.docs("kw", term)


def _kind(group: Group) -> str:
    words = group.alternatives[0]
    if group.filler or words in NOT_COUNTED:
        return "filler"
    if words in COMMON or all(w in COMMON for w in words.split()):
        return "common"
    return "distinctive"


def _needs_context(group: Group, marked_query: bool) -> bool:
    """True when a single typed word may stand for another word with the same letters."""
    word = group.alternatives[0]
    if " " in word or not word.isalpha() or looks_english(word):
        return False  # a phrase carries its own context; English and codes have one spelling
    if group.word != word:
        return True  # a correction: only context says the fix was right
    return has_marks(group.raw) or not marked_query


def _group_docs(view, plan: Plan, i: int, marked_query: bool) -> int:
    group = plan.groups[i]
    found = 0
    for alternative in group.alternatives:
        parts = alternative.split()
        present = bits.all_of(_names_or_keywords(view, p) for p in parts)
        if len(parts) > 1:  # syllables split out of one typed word must stay together
            present &= bits.all_of(_names_or_keywords(view, p) for p in bigrams(parts))
        found |= present
    if _needs_context(group, marked_query):
        word = group.alternatives[0]
        context = 0
        pairs = []
        if i:
            pairs.append(f"{plan.groups[i - 1].alternatives[0].split()[-1]}_{word}")
        if i + 1 < len(plan.groups):
            pairs.append(f"{word}_{plan.groups[i + 1].alternatives[0].split()[0]}")
        for pair in pairs:
            context |= _names_or_keywords(view, pair)
        if pairs:
            found &= context
    for synonym in group.synonyms:
        for expansion in synonym.expansions:
            found |= bits.all_of(_names_or_keywords(view, w) for w in expansion)
    return found


def _short_typo(view, plan: Plan, i: int) -> bool:
    """True for a short unknown word one edit away from a word that pairs with a neighbour
    ("hin" beside "ket": "ket hon"), where the planner does not correct (too short)."""
    word = plan.groups[i].word
    if len(word) >= MIN_UNKNOWN or not word.isalpha():
        return False
    before = plan.groups[i - 1].alternatives[0].split()[-1] if i else ""
    after = plan.groups[i + 1].alternatives[0].split()[0] if i + 1 < len(plan.groups) else ""
    pairs = [f"{before}_{fix}" for fix in edits(word) if before]
    pairs += [f"{fix}_{after}" for fix in edits(word) if after]
    return any(view.pair_df(pair) for pair in pairs)


def required(count: int, unknown: int) -> int:
    """How many of ``count`` counted words a procedure must cover: all when some word is
    unknown to the whole catalogue (the query is about something it does not hold), else
    all but one in three."""
    return count if unknown else count - count // 3


def covered(view, plan: Plan) -> int:
    """Live documents covering the query's distinctive words (or, when it has none, its
    common ones), plus the procedure whose code was typed."""
    marked_query = any(has_marks(g.raw) for g in plan.groups)
    by_kind: dict[str, dict[tuple[str, ...], int]] = {"distinctive": {}, "common": {}}
    unknown: dict[str, set[tuple[str, ...]]] = {"distinctive": set(), "common": set()}
    for i, group in enumerate(plan.groups):
        kind = _kind(group)
        if kind == "filler":
            continue
        key = tuple(group.alternatives)
        if not group.synonyms and not any(
                view.df(w) for a in group.alternatives for w in a.split()):
            if _short_typo(view, plan, i):
                continue  # a typo too short to correct says nothing ("ket hin")
            unknown[kind].add(key)
        docs = by_kind[kind]
        docs[key] = docs.get(key, 0) | _group_docs(view, plan, i, marked_query)
    kind = "distinctive" if by_kind["distinctive"] else "common"
    counted = list(by_kind[kind].values())
    need = required(len(counted), len(unknown[kind]))
    found = bits.at_least(counted, need) if counted else 0
    if plan.code:
        found |= view.docs("code", plan.code)
    return found & view.live
