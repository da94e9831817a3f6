"""Clear messages for bad requests, never a stack trace.

People get a short Korean page; the API (anything under /api/) gets {"error": ..., "code": ...}
with the same status. A question the knowledge base refuses (empty, too long, control
characters) is a 400 with kb.questions' own message.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

from kb.questions import QuestionError
from kb.service import SearchUnavailable

from .current import get_kb
from .helplines import call_first

log = logging.getLogger(__name__)

# status -> (code, Korean message for a person)
MESSAGES = {
    400: ("bad_request", "요청을 이해하지 못했어요. 입력한 내용을 다시 확인해 주세요."),
    404: ("not_found", "찾으시는 페이지가 없어요. 주소를 다시 확인해 주세요."),
    405: ("method_not_allowed", "이 주소에서는 그 방식으로 요청할 수 없어요."),
    413: ("payload_too_large", "보내신 내용이 너무 길어요. 질문을 짧게 줄여 주세요."),
    415: ("unsupported_media_type", "지원하지 않는 형식이에요. Content-Type: application/json 으로 보내 주세요."),
    503: ("search_unavailable", "검색 색인을 다시 준비하고 있어요. 잠시 뒤에 다시 해 주세요."),
    500: ("server_error", "잠시 문제가 생겼어요. 조금 뒤에 다시 해 주세요."),
}
CALL_FIRST = {500, 503}   # these messages end with the number to call (web/helplines.py)


def message_for(status: int) -> tuple[str, str]:
    """(code, message) of a status; a server-side failure adds whom to call, which must never fail."""
    code, message = MESSAGES[status]
    if status in CALL_FIRST:
        try:
            message += " " + call_first(get_kb().content)
        except Exception:   # no knowledge base to read the number from: the message alone
            log.exception("help line unavailable")
    return code, message


class ApiError(Exception):
    """A bad request with its own code and message (raised by views, rendered here)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def error_response(status: int, code: str, message: str):
    if wants_json():
        response = jsonify({"error": message, "code": code})
        response.status_code = status
        return response
    if _no_url_adapter():
        # a Host outside TRUSTED_HOSTS: no URL can be built, so no page with links either
        body = (f"<!doctype html><html lang=\"ko\"><meta charset=\"utf-8\"><title>{status}</title>"
                f"<p>{escape(message)}</p></html>")
        return body, status, {"Content-Type": "text/html; charset=utf-8"}
    return render_template("error.html", status=status, message=message, code=code), status


def _no_url_adapter() -> bool:
    from flask.globals import request_ctx

    return request_ctx.url_adapter is None


def handle_http(e: HTTPException):
    status = e.code or 500
    code, message = message_for(status) if status in MESSAGES else ("error", e.description or "요청을 처리하지 못했어요.")
    response = error_response(status, code, message)
    if status == 405 and hasattr(e, "valid_methods") and e.valid_methods:
        response = _with_allow(response, e.valid_methods)
    return response


def _with_allow(response, methods):
    from flask import make_response

    response = make_response(response)
    response.headers["Allow"] = ", ".join(sorted(methods))
    return response


def handle_question(e: QuestionError):
    return error_response(400, e.code, e.message)


def handle_api(e: ApiError):
    return error_response(e.status, e.code, e.message)


def handle_unavailable(e: SearchUnavailable):
    """The index failed under this request (damaged files); the app is already rebuilding it."""
    code, message = message_for(503)
    response = make_response(error_response(503, code, message))
    response.headers["Retry-After"] = "5"
    return response


def handle_unexpected(e: Exception):
    if isinstance(e, HTTPException):
        return handle_http(e)
    log.exception("unexpected error on %s %s", request.method, request.path)
    code, message = message_for(500)
    return error_response(500, code, message)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(QuestionError, handle_question)
    app.register_error_handler(ApiError, handle_api)
    app.register_error_handler(SearchUnavailable, handle_unavailable)
    app.register_error_handler(InternalServerError, handle_unexpected)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
