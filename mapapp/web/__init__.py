"""The Flask application: `create_app` loads and checks the data once, then serves it.

Configuration (a mapping passed to create_app overrides the defaults):

- `MAPAPP_DATA`: the routes.geojson to serve (default: $MAPAPP_DATA, else the project's data);
- `MAPAPP_WATCH`: reload the data when its files change, keeping the last good version while
  they have problems (default: on when the app runs in debug mode);
- `MAPAPP_PUBLIC_URL`: the site's public address, for embed codes and the handouts' QR codes
  (default: $MAPAPP_PUBLIC_URL, else the address each request came to; "" for none, as in a
  static export made without one).

Unusable data raises at start-up (mapapp.loading.LoadError), so a server never starts with
nothing to show; `mapapp serve` turns that into one line and exit code 2. When watching (`mapapp
serve --debug`), it starts anyway: every address lists the problems until the files are fixed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import xstatic.pkg.leaflet
from flask import Blueprint, Flask

from mapapp import paths
from mapapp.loading import default_data_path
from mapapp.web import api, caching, educators, i18n, pages, rendering, security
from mapapp.web.site import NoValidData, Site, no_valid_data, state_before_request

# Leaflet straight from the XStatic package: the same bytes folium would fetch from a CDN.
leaflet = Blueprint("leaflet", __name__, static_folder=xstatic.pkg.leaflet.BASE_DIR,
                    static_url_path="/vendor/leaflet")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask("mapapp", template_folder=str(paths.templates_dir()),
                static_folder=str(paths.static_dir()), static_url_path="/static")
    app.config.from_mapping(
        MAPAPP_DATA=str(default_data_path()),
        MAPAPP_WATCH=None,
        MAPAPP_PUBLIC_URL=os.environ.get("MAPAPP_PUBLIC_URL") or None,
    )
    app.config.from_mapping(config or {})
    watch = app.config["MAPAPP_WATCH"]
    app.extensions["mapapp"] = Site(app.config["MAPAPP_DATA"],
                                    watch=app.debug if watch is None else bool(watch))
    app.before_request(state_before_request)
    app.register_error_handler(NoValidData, no_valid_data)
    i18n.init_app(app)  # every page in every language: interface text through gettext
    app.register_blueprint(leaflet)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(educators.bp)
    rendering.init_app(app)
    security.init_app(app)
    caching.init_app(app)
    return app
