"""One search pipeline for the search page and ``/api/v1/search``: search, record the query
by the one rule, load the rows. Views only read request arguments and render.

The rule: a query is recorded (``querylog.record_query``) when it is a first page with text
and no filter, so paging or narrowing the same search is not counted again; it counts as a
miss when nothing was listed (less related matches are no answer: editors see what people
ask that the centre does not answer, and may add a synonym or a pointer elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass

from app import queries
from app.models import Procedure
from app.search import search
from app.search.querylog import record_query
from app.search.results import Hit, SearchResult


@dataclass
class Found:
    result: SearchResult
    rows: list[tuple[Hit, Procedure]]  # the page's hits with their published procedures


def find(query: str, *, field: str | None = None, level: str | None = None,
         online: str | None = None, applicant: str | None = None, free: bool | None = None,
         sort: str = "relevance", page: int = 1, per_page: int = 20,
         everything: bool = False) -> Found:
    """``search.search`` with the same arguments, the query recorded, and rows loaded."""
    result = search(query, field=field, level=level, online=online, applicant=applicant,
                    free=free, sort=sort, page=page, per_page=per_page, everything=everything)
    if result.query and result.page == 1 and not result.filtered:
        record_query(result.query, found=bool(result.total))
    by_id = {p.id: p for p in queries.procedures_by_ids(result.ids)}
    return Found(result, [(hit, by_id[hit.id]) for hit in result.hits if hit.id in by_id])
