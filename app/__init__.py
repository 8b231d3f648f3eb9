"""The application factory: config → extensions → blueprints → cli → errors."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from app.config import Config, check_production


def create_app(config: type[Config] | dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    check_production(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from app import (
        caching,
        extensions,
        i18n,
        inputs,
        logging_setup,
        presenters,
        security,
        sessions,
        siteurl,
    )

    app.session_interface = sessions.EditorOnlySessionInterface()

    logging_setup.init_app(app)
    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(_migrations_dir()))
    extensions.csrf.init_app(app)
    i18n.init_app(app)
    presenters.init_app(app)
    security.init_app(app)
    inputs.init_app(app)
    caching.init_app(app)
    siteurl.init_app(app)

    from app.api import bp as api_bp
    from app.health import bp as health_bp
    from app.kiosk import bp as kiosk_bp
    from app.public import bp as public_bp

    # Citizens' pages once per language and skin (app.i18n.MOUNTS): /, /en, /kiosk, /kiosk/en.
    for mount in i18n.MOUNTS:
        app.register_blueprint(kiosk_bp if mount.kiosk else public_bp, name=mount.name,
                               url_prefix=mount.url_prefix or None)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(health_bp)
    from app import legacy_urls

    legacy_urls.init_app(app)  # old addresses: 301 to their successors
    from app.editor import init_app as init_editor

    init_editor(app)
    from app import quality

    quality.init_app(app)
    from app import tablet

    tablet.init_app(app)  # the counter tablets' rating screens (/danh-gia)
    from app import notices, schedule
    from app.public import dated

    schedule.init_app(app)  # dated changes go live at local midnight (app.schedule)
    dated.init_app(app)
    notices.init_app(app)  # the centre's notices on the site and kiosk, between their times

    from app import cli, errors

    cli.init_app(app)
    errors.init_app(app)
    from app.compression import GzipMiddleware

    # gzip once, with a length, so nginx stores the compressed copy (app/compression.py).
    app.wsgi_app = GzipMiddleware(app.wsgi_app)  # type: ignore[method-assign]
    return app


def _migrations_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "migrations"
