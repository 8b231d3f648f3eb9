"""Helpers for the editor tests: accounts, signing in, and reading forms like a browser does."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict

from tests.html import attr_values, every

PASSWORD = "correct horse battery staple"
ROLES = ("editor", "publisher", "admin")


@functools.lru_cache
def password_hash(password: str) -> str:
    """The stored form of ``password``, made once per test process: scrypt is slow by design,
    and every test account may share one salt (tests/speedups.py)."""
    from werkzeug.security import generate_password_hash

    from app.models.accounts import PASSWORD_METHOD

    return generate_password_hash(password, method=PASSWORD_METHOD)


def make_user(app, email: str, role: str = "editor", password: str = PASSWORD) -> int:
    from app.extensions import db
    from app.models import User

    with app.app_context():
        user = User(email=email, role=role, password_hash=password_hash(password))
        db.session.add(user)
        db.session.commit()
        return user.id


def csrf_token(html: str) -> str:
    tokens = attr_values(html, "input[name=csrf_token]", "value")
    assert tokens, "no CSRF token in the page"
    return tokens[0]


def english(client):
    """Tests read the interface in English (the message ids), whatever the catalogues say:
    the editor area follows the browser's Accept-Language until an editor chooses."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def en_page(response, status: int = 200, h1: str | None = None):
    """``check_page`` for an editor page, which tests read in English."""
    from tests.pages import check_page

    return check_page(response, status=status, lang="en", h1=h1)


def login(client, email: str, password: str = PASSWORD, next_url: str | None = None):
    english(client)
    page = client.get("/editor/login")
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), "email": email,
            "password": password, "next": next_url or ""}
    return client.post("/editor/login", data=data)


def signed_in(app, role: str, email: str | None = None):
    """A new test client signed in with a new account of ``role``."""
    email = email or f"{role}@example.org"
    make_user(app, email, role)
    client = app.test_client()
    response = login(client, email)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def post_form(client, url: str, data: dict | None = None, page_url: str | None = None):
    """POST to ``url`` with the CSRF token of the page at ``page_url`` (default ``url``)."""
    page = client.get(page_url or url)
    payload = {"csrf_token": csrf_token(page.get_data(as_text=True)), **(data or {})}
    return client.post(url, data=payload)


class _FormReader(HTMLParser):
    """The fields of one form as a browser would submit them (buttons excluded)."""

    def __init__(self, form_index: int) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = form_index
        self.index = -1
        self.inside = False
        self.data: MultiDict = MultiDict()
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.index += 1
            self.inside = self.index == self.wanted
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            self._input(a)
        elif tag == "select":
            self._select, self._select_value, self._first_option = a.get("name"), None, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def _input(self, a: dict) -> None:
        kind = a.get("type", "text")
        if kind in ("submit", "button", "file", "image", "reset"):
            return
        if kind in ("checkbox", "radio") and "checked" not in a:
            return
        self.data.add(a["name"], a.get("value", "on" if kind == "checkbox" else ""))

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            value = self._select_value if self._select_value is not None else self._first_option
            self.data.add(self._select, value or "")
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline that follows <textarea>, and send CRLF line ends.
            text = self._text.removeprefix("\r\n").removeprefix("\n").replace("\r\n", "\n")
            text = text.replace("\n", "\r\n")
            self.data.add(self._textarea, text)
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def read_form(html: str, form_index: int = -1) -> MultiDict:
    """The submitted data of a form in ``html``; ``-1`` is the page's main editing form
    (the one with a ``lock_version`` or, failing that, the last form)."""
    if form_index == -1:
        form_index = len(every(html, "form")) - 1
        for i, chunk in enumerate(html.split("<form")[1:]):
            if 'name="lock_version"' in chunk.split("</form>")[0] and "op" in chunk:
                form_index = i
                break
    reader = _FormReader(form_index)
    reader.feed(html)
    return reader.data


def procedure_id(app, code: str) -> int:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Procedure

    with app.app_context():
        return db.session.scalar(select(Procedure.id).filter_by(code=code))


def edit_form(client, pid: int) -> MultiDict:
    """The whole-record form of procedure ``pid`` as the browser would submit it."""
    response = client.get(f"/editor/procedures/{pid}/edit")
    assert response.status_code == 200
    data = read_form(response.get_data(as_text=True))
    data["op"] = ""
    return data


def save(client, pid: int, data: MultiDict, op: str = ""):
    data = data.copy()
    data["op"] = op
    return client.post(f"/editor/procedures/{pid}/edit", data=data)


def revisions(app, pid: int) -> list:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Revision

    with app.app_context():
        rows = db.session.scalars(select(Revision).filter_by(procedure_id=pid)
                                  .order_by(Revision.number))
        return [(r.number, r.state, dict(r.data), r.author.email if r.author else None)
                for r in rows]


def post_file(client, url: str, page_url: str, name: str, content: bytes, field: str = "file"):
    """Upload ``content`` as ``name`` with the page's CSRF token. The body is built in memory:
    the test client would spool a big one to a temporary file it never closes."""
    import io

    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    token = csrf_token(client.get(page_url).get_data(as_text=True))
    upload = FileStorage(io.BytesIO(content), filename=name,
                         content_type="application/octet-stream")
    boundary, body = encode_multipart({"csrf_token": token, field: upload})
    return client.post(url, data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def browser_sign_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Sign ``email`` in through the real login form in Chromium (English labels)."""
    page.goto(base_url + "/editor/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def type_into(form: MultiDict, changes: Mapping[str, str]) -> MultiDict:
    """Replace the values of the fields named in ``changes`` and return ``form``."""
    for name, value in changes.items():
        form[name] = value
    return form


def changed_edit_form(client, pid: int, changes: Mapping[str, str]) -> MultiDict:
    """The edit form of procedure ``pid`` with ``changes`` typed in, not yet saved."""
    return type_into(edit_form(client, pid), changes)


def start_editing(app, code: str, changes: Mapping[str, str]) -> tuple:
    """A newly signed-in editor, procedure ``code``'s id, and its edit form with ``changes``."""
    editor = signed_in(app, "editor")
    pid = procedure_id(app, code)
    return editor, pid, changed_edit_form(editor, pid, changes)


def post_refused(client, url: str, form: Mapping, status: int = 422, why: object = None) -> str:
    """POST ``form`` to ``url``, assert it is answered with ``status``, and return the page."""
    response = client.post(url, data=form)
    assert response.status_code == status, (
        why if why is not None else f"{url}: {response.status_code}, not {status}")
    return response.get_data(as_text=True)
