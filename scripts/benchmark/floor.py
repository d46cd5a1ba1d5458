"""The framework's floor for the load figures: a minimal Flask app served as `mapapp serve` serves
the site (mapapp.web.server: gunicorn, its settings), answering each path with a constant body of
the size the site sends for it, so that the same bytes go through the same server. Run as a
program by load.py:

    python floor.py PORT '{"/": 12345, ...}'
"""

import json
import sys

from flask import Flask, Response

from mapapp.web import server


def serve(port: int, sizes: dict[str, int]) -> None:
    app = Flask("floor")
    for path, size in sizes.items():
        body = b"x" * size
        app.add_url_rule(path, path, lambda body=body: Response(body, mimetype="text/html"))
    server.serve(app, "127.0.0.1", port)


if __name__ == "__main__":
    serve(int(sys.argv[1]), json.loads(sys.argv[2]))
