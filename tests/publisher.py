"""An editor publishing, as its own process, for the multi-process tests.

It does what the editor's publish does: change a published procedure, queue it with
``search.index`` in the same transaction, commit, then ``search.sync()`` (which leaves the
work to the node's indexer when that holds the writer lock). Configuration comes from the
environment (DATABASE_URL, SEARCH_INDEX_DIR), like any process of a node. Prints one JSON
line per publish: {"code", "token", "t"}.

    python -m tests.publisher once TOKEN            one publish, on the first procedure
    python -m tests.publisher every SECONDS COUNT   COUNT publishes, round robin
    python -m tests.publisher touch-all             queue every procedure, no sync
"""

from __future__ import annotations

import json
import random
import string
import sys
import time

from sqlalchemy import select

from app import create_app, search
from app.dbretry import retry_when_busy
from app.extensions import db
from app.models import Procedure
from app.models.procedure import utcnow
from app.synthetic import mark_keyword

MARK = "zmark"


def new_token() -> str:
    return MARK + "".join(random.choices(string.ascii_lowercase, k=10))


def published_ids() -> list[int]:
    return list(db.session.scalars(select(Procedure.id).where(Procedure.published)
                                    .order_by(Procedure.id)))


def publish(proc_id: int, token: str) -> None:
    # Under load another process may commit between this transaction's read and its write
    # (on SQLite that is refused at once): run it again, as app.dbretry explains.
    code = retry_when_busy(lambda: mark_keyword(proc_id, token, MARK))
    print(json.dumps({"code": code, "token": token, "t": time.time()}), flush=True)
    search.sync()


def main(argv: list[str]) -> int:
    app = create_app()
    with app.app_context():
        ids = published_ids()
        if argv[0] == "once":
            publish(ids[0], argv[1])
        elif argv[0] == "every":
            every, count = float(argv[1]), int(argv[2])
            for n in range(count):
                started = time.monotonic()
                publish(ids[n % len(ids)], new_token())
                time.sleep(max(0.0, every - (time.monotonic() - started)))
        elif argv[0] == "touch-all":
            for proc in db.session.scalars(select(Procedure).where(Procedure.id.in_(ids))):
                proc.updated_at = utcnow()
                search.index(proc.id)
            db.session.commit()
        else:
            raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
