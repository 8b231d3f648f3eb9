"""What a starting server prints: the addresses under SITE_URL and the first-account hint."""

from __future__ import annotations

from app.startup import where_to_go


def test_the_addresses_are_under_the_site_url(app):
    app.config["SITE_URL"] = "https://motcua.example.gov.vn/"
    lines = where_to_go(app)
    for address in ("https://motcua.example.gov.vn/", "https://motcua.example.gov.vn/kiosk/",
                    "https://motcua.example.gov.vn/editor/",
                    "https://motcua.example.gov.vn/en/"):
        assert any(line.endswith(" " + address) for line in lines), address


def test_the_first_account_command_is_shown_until_an_account_exists(app):
    hint = "flask users create you@example.gov.vn --role admin"
    assert any(hint in line for line in where_to_go(app))
    with app.app_context():  # as `flask` runs its commands
        result = app.test_cli_runner().invoke(
            args=["users", "create", "first@example.gov.vn", "--role", "admin"],
            input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert not any(hint in line for line in where_to_go(app))
