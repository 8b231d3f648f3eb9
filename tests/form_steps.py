"""Steps the editor tests take with a form: post it and read the page that refuses it."""

from __future__ import annotations

from collections.abc import Mapping

from flask.testing import FlaskClient


def post_refused(client: FlaskClient, url: str, form: Mapping, status: int = 422,
                 why: object = None) -> str:
    """POST ``form`` to ``url``, assert it is answered with ``status``, and return the page."""
    response = client.post(url, data=form)
    assert response.status_code == status, (
        why if why is not None else f"{url}: {response.status_code}, not {status}")
    return response.get_data(as_text=True)
