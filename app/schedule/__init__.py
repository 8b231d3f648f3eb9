"""Changes that take effect on their date: scheduled revisions, abolitions, change notes.

How a dated change goes live everywhere at local midnight, with no restart and no cache clear:

- A scheduled change is a ``ProcedureChange`` row (state ``scheduled``, ``effective_on`` a
  local date). The procedure's rows stay the live version until that date.
- The first public request of the new day, on any worker of any node, *applies* every due
  change (``apply.apply_due``) before it reads: the revision's record becomes the rows (or the
  abolished procedure is unpublished), in one transaction that also writes the search outbox
  row. A compare-and-set on the change row lets exactly one process apply it; the others wait
  for that commit and then read the new version. ``flask schedule apply`` does the same for a
  site with no visitors (a cron line), and the editor dashboard shows what is due.
- Because applying is an ordinary publish, everything that follows publishes follows it:
  every node's indexer applies the outbox row to its own index, the per-worker response
  caches drop their pages when the change sequence moves, the sitemap, the API and the kiosk
  read the rows. Search hits are loaded from the rows, so an abolished procedure leaves the
  results at once, even before the index catches up (within ``SEARCH_POLL_SECONDS``).
  We chose this over filtering every read by "the version in force on the local date": the
  lists, search ranking and counts would each need that filter, and a missed one would show
  a version that is not in force.
- ``?on=YYYY-MM-DD`` (``asof.version_on``) shows a procedure as of any date: a coming
  version from its scheduled revision, an earlier one from the record kept when a change
  was applied.
"""

from app.schedule.apply import apply_due, init_app
from app.schedule.asof import (
    CatalogueOn,
    abolished_by_slug,
    catalogue_on,
    list_as_of,
    version_on,
)
from app.schedule.changes import (
    abolition_for,
    recent,
    record_note,
    schedule_abolition,
    schedule_revision,
    scheduled_all,
    timeline,
    upcoming,
    withdraw,
)

__all__ = [
    "CatalogueOn", "abolished_by_slug", "abolition_for", "apply_due", "catalogue_on",
    "init_app", "list_as_of", "recent", "record_note", "schedule_abolition",
    "schedule_revision", "scheduled_all", "timeline", "upcoming", "version_on", "withdraw",
]
