"""`kb serve`: run the web app with waitress (registered through the `kb.commands` entry point).

The knowledge base is opened before the server starts listening; open_kb builds the index first
when it is missing or stale, so GET /api/health answers 200 as soon as the port is open.
"""
from __future__ import annotations

import logging
import sys
import time

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="port to listen on")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="waitress worker threads")
@click.pass_context
def serve_cmd(ctx, host, port, threads):
    """Serve the chat, counselor search, topic pages and JSON API over HTTP."""
    from waitress import serve

    from kb.service import ContentError

    from . import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    obj = ctx.find_root().obj or {}
    start = time.perf_counter()
    try:
        app = create_app({"KB_CONTENT": obj.get("content"), "KB_INSTANCE": obj.get("instance")})
    except ContentError as e:
        for p in e.problems:
            click.echo(str(p), err=True)
        click.echo("content has errors and there is no index to serve; run `kb check`", err=True)
        sys.exit(1)
    kb = app.extensions["kb"]
    click.echo(f"loaded {len(kb.content.topics)} topics, {len(kb.content.centers)} centers "
               f"in {time.perf_counter() - start:.2f}s", err=True)
    click.echo(f"serving on http://{host}:{port}/  (Ctrl+C to stop)", err=True)
    serve(app, host=host, port=port, threads=threads, ident="kb")
