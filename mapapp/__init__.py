"""Escape-route map: a sourced, offline Leaflet map of the routes North Koreans take to escape."""

__version__ = "0.1.0"


def create_app(config=None):
    """Build the Flask application (imported lazily so the CLI's validator starts fast)."""
    from mapapp.web import create_app as _create_app

    return _create_app(config)
