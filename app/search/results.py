"""What ``search()`` returns: ids, scores, snippets, facets and a suggestion; no ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from app.queries import Paging
from app.search.elsewhere import Pointer


@dataclass(frozen=True)
class Hit:
    id: int  # Procedure.id; load rows with ``app.queries.procedures_by_ids``
    score: float
    snippet: Markup  # escaped HTML with <mark> around matched words


@dataclass(frozen=True)
class FacetValue:
    value: str  # what goes in the URL (a slug, an online class, "yes")
    count: int
    label: str  # Vietnamese data label; "" when the interface translates the value
    label_en: str = ""
    selected: bool = False


@dataclass
class SearchResult(Paging):
    query: str  # the query as searched (cleaned and cut)
    folded: str  # its folded words, as counted when nothing is found
    hits: list[Hit]
    total: int  # listed matches (the less related ones are counted in ``more``)
    page: int
    per_page: int
    sort: str = "relevance"
    filters: dict[str, str] = field(default_factory=dict)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None  # "Did you mean …?"
    relaxed: bool = False  # no procedure had all the words; these have some of them
    degraded: bool = False  # answered without the index (it is being rebuilt)
    more: int = 0  # less related matches not listed; shown when asked for ("everything")
    everything: bool = False  # the less related matches are listed too
    # Where to go for what the centre does not handle, when the query names it (issue 25).
    elsewhere: list[Pointer] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [hit.id for hit in self.hits]

    @property
    def filtered(self) -> bool:
        return any(self.filters.values())
