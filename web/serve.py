"""`kb serve`: run the web app under gunicorn, pre-forked (registered through `kb.commands`).

The app (Kiwi, the index, the content snapshot) is created once in the master process
(`--preload`) and forked into `--workers` processes, so both cores of a small machine answer and
the ~300 MB of Kiwi is shared copy-on-write. Each worker runs `--threads` threads (gunicorn's
gthread worker: keep-alive connections wait in a poller, not in a thread). Each worker swaps to
a new `kb build` between requests by itself (`--reload-on-build`, on by default).

Limits against hostile clients at this layer: request line and header sizes (gunicorn), body
size before anything is read (Flask's MAX_CONTENT_LENGTH answers 413 from the Content-Length
header; chunked bodies are cut at the same size), at most `--max-connections` open connections
per worker, idle keep-alive closed after 5 s, a stuck request's worker restarted after
`--timeout`. A slow client still holds a thread while it sends its request, so on a public
address put a buffering reverse proxy in front (README: Deployment); `--host 0.0.0.0` alone is
for a LAN. gunicorn's own error pages (malformed request line, oversized headers) get the same
security headers as the app's responses.
"""
from __future__ import annotations

import logging
import os
import sys
import time

import click

DEFAULT_WORKERS = max(1, min(4, os.cpu_count() or 1))


def _install_error_headers() -> None:
    """gunicorn writes its own 400/414/431 pages without the app; give them our headers too."""
    import html

    from gunicorn import util

    from .security import HEADERS

    if getattr(util.write_error, "_kb", False):
        return

    def write_error(sock, status_int, reason, mesg):
        body = (f"<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\"><title>{status_int}</title></head>"
                f"<body><h1>{status_int} {html.escape(reason)}</h1><p>요청을 이해하지 못했어요.</p></body></html>").encode()
        head = [f"HTTP/1.1 {status_int} {reason}", "Connection: close", "Content-Type: text/html; charset=utf-8",
                f"Content-Length: {len(body)}", "Cache-Control: no-store"]
        head += [f"{k}: {v}" for k, v in HEADERS.items()]
        util.write_nonblock(sock, ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)

    write_error._kb = True
    util.write_error = write_error


def gunicorn_options(host: str, port: int, workers: int, threads: int, timeout: int, max_connections: int) -> dict:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "timeout": timeout,
        "graceful_timeout": 10,
        "keepalive": 5,
        "worker_connections": max_connections,
        "backlog": 512,
        "limit_request_line": 4094,
        "limit_request_fields": 60,
        "limit_request_field_size": 8190,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "kb-serve",
    }


def run_gunicorn(app, options: dict) -> None:
    from gunicorn.app.base import BaseApplication

    class KbServer(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    _install_error_headers()
    KbServer().run()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="address to listen on (0.0.0.0 is for a LAN; public: behind a reverse proxy)")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="port to listen on")
@click.option("--workers", default=DEFAULT_WORKERS, show_default=True, type=click.IntRange(1, 32),
              help="processes (pre-forked after loading once; default: CPU count, at most 4)")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="threads per worker")
@click.option("--timeout", default=30, show_default=True, type=click.IntRange(5, 600),
              help="seconds before a stuck worker is restarted")
@click.option("--max-connections", default=200, show_default=True, type=click.IntRange(8, 10000),
              help="open connections per worker (more wait in the listen backlog)")
@click.option("--reload-on-build/--no-reload-on-build", default=True, show_default=True,
              help="switch to a new `kb build` between requests, without a restart")
@click.option("--trusted-host", "trusted_hosts", multiple=True,
              help="Host header(s) to accept, e.g. kb.example.org (repeatable; also $KB_TRUSTED_HOSTS)")
@click.pass_context
def serve_cmd(ctx, host, port, workers, threads, timeout, max_connections, reload_on_build, trusted_hosts):
    """Serve the chat, counselor search, topic pages and JSON API over HTTP."""
    from kb.service import ContentError, IndexUnavailable

    from . import create_app
    from .logs import configure_logging

    configure_logging(logging.INFO)     # JSON lines on stderr, one per event, with request ids
    obj = ctx.find_root().obj or {}
    start = time.perf_counter()
    config = {"KB_CONTENT": obj.get("content"), "KB_INSTANCE": obj.get("instance"), "KB_RELOAD": reload_on_build}
    if trusted_hosts:
        config["TRUSTED_HOSTS"] = list(trusted_hosts)
    try:
        app = create_app(config)
    except ContentError as e:
        for p in e.problems:
            click.echo(str(p), err=True)
        click.echo("content has errors and there is no index to serve; run `kb check`", err=True)
        sys.exit(1)
    except IndexUnavailable as e:
        click.echo(f"{e}\nno consistent index to serve: fix the content (`kb check`) and run `kb build`", err=True)
        sys.exit(1)
    kb = app.extensions["kb"]
    click.echo(f"loaded {len(kb.content.topics)} topics, {len(kb.content.centers)} centers "
               f"from {kb.index_dir.name if kb.index_dir else '?'} in {time.perf_counter() - start:.2f}s", err=True)
    click.echo(f"serving on http://{host}:{port}/ with {workers} worker(s) x {threads} threads (Ctrl+C to stop)",
               err=True)
    run_gunicorn(app, gunicorn_options(host, port, workers, threads, timeout, max_connections))
