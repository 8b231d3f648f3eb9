"""One holder for uploads waiting to be applied (issue 18 item 2): both imports keep their
file in ``IMPORT_DIR``, outside every public directory, until applied or expired."""

from __future__ import annotations

import os
import time
from pathlib import Path

from app import uploads_held
from tests.editor_support import csrf_token, post_file, post_form, signed_in
from tests.test_import_list import province_list


def _token(page: str) -> str:
    return page.split('name="token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_the_province_list_waits_in_import_dir(app, tmp_path):
    held_dir = tmp_path / "held"
    app.config["IMPORT_DIR"] = str(held_dir)
    admin = signed_in(app, "admin")
    page = post_file(admin, "/editor/admin/import-list", "/editor/admin/import-list",
                     "danh-muc.xlsx", province_list(tmp_path).read_bytes())
    assert page.status_code == 200
    token = _token(page.get_data(as_text=True))
    assert _files(held_dir) == {f"province-list/{token}.data", f"province-list/{token}.name"}
    # Nothing beside UPLOAD_DIR any more (it used to wait in "pending-lists" there).
    assert not (Path(app.config["UPLOAD_DIR"]).resolve().parent / "pending-lists").exists()
    applied = post_form(admin, "/editor/admin/import-list/apply", {"token": token},
                        page_url="/editor/admin/import-list")
    assert applied.status_code == 200
    assert _files(held_dir) == set()  # applied: forgotten


def test_the_catalogue_import_waits_in_import_dir(app, tmp_path):
    app.config["IMPORT_DIR"] = str(tmp_path / "held")
    admin = signed_in(app, "admin")
    page = post_file(admin, "/editor/admin/import", "/editor/admin/import", "c.json",
                     b'{"synonyms": [{"term": "gks", "expansion": "giay khai sinh"}]}')
    token = _token(page.get_data(as_text=True))
    assert (tmp_path / "held" / "catalogue" / f"{token}.data").is_file()


def test_a_held_upload_expires_and_a_bad_token_finds_nothing(app, tmp_path):
    app.config["IMPORT_DIR"] = str(tmp_path)
    with app.app_context():
        token = uploads_held.hold("catalogue", b"{}", "c.json")
        assert uploads_held.read("catalogue", token) == uploads_held.Held(b"{}", "c.json")
        assert uploads_held.read("province-list", token) is None  # kinds are apart
        for bad in ("../../etc/passwd", "", "x" * 200, token + "/"):
            assert uploads_held.read("catalogue", bad) is None
        old = time.time() - uploads_held.KEEP_SECONDS - 60
        for path in (tmp_path / "catalogue").iterdir():
            os.utime(path, (old, old))
        assert uploads_held.read("catalogue", token) is None


def test_an_expired_list_cannot_be_applied(app, tmp_path):
    app.config["IMPORT_DIR"] = str(tmp_path)
    admin = signed_in(app, "admin")
    token = csrf_token(admin.get("/editor/admin/import-list").get_data(as_text=True))
    response = admin.post("/editor/admin/import-list/apply",
                          data={"csrf_token": token, "token": "A" * 32})
    assert response.status_code == 302
