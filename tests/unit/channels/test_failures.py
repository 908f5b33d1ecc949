"""Issue 12, point 1: every answer of a failed Bot API call is classified."""

from __future__ import annotations

import json

import pytest

from bot.channels.telegram.delivery import PermanentError, RetryAfter, TransientError, error_for
from bot.channels.telegram.failures import Failure, Verdict, classify_answer

HTML_502 = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


def telegram(status: int, description: str, **parameters: int) -> str:
    body: dict[str, object] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return json.dumps(body)


def test_a_successful_answer_is_no_failure() -> None:
    assert classify_answer(200, '{"ok": true, "result": {"message_id": 1}}') is None


@pytest.mark.parametrize("status", [502, 504])
def test_an_html_error_page_is_unknown_and_retried(status: int) -> None:
    failure = classify_answer(status, HTML_502)
    assert failure is not None
    assert failure.verdict is Verdict.UNKNOWN
    assert failure.retried
    assert failure.reason == f"HTTP {status}, not JSON body"
    assert isinstance(error_for(failure), TransientError)


@pytest.mark.parametrize("body", ["", b""])
def test_an_empty_body_is_unknown(body: str | bytes) -> None:
    failure = classify_answer(502, body)
    assert failure == Failure(Verdict.UNKNOWN, "HTTP 502, empty body")
    assert isinstance(error_for(failure), TransientError)


@pytest.mark.parametrize("body", ['{"result": {}}', '{"ok": false}', '{"ok": "yes"}'])
def test_a_200_without_ok_true_is_unknown(body: str) -> None:
    failure = classify_answer(200, body)
    assert failure is not None
    assert failure.verdict is Verdict.UNKNOWN
    assert failure.retried


@pytest.mark.parametrize("body", ["[1, 2]", '"ok"', "null", "{not json", b"\xff\xfe"])
def test_json_that_is_no_object_or_no_json_at_all_is_unknown(body: str | bytes) -> None:
    failure = classify_answer(200, body)
    assert failure is not None
    assert failure.verdict is Verdict.UNKNOWN


def test_429_with_retry_after_waits_that_long() -> None:
    body = telegram(429, "Too Many Requests: retry after 7", retry_after=7)
    failure = classify_answer(429, body)
    assert failure == Failure(Verdict.RETRY_AFTER, "Too Many Requests: retry after 7", 7.0)
    error = error_for(failure)
    assert isinstance(error, RetryAfter)
    assert error.seconds == 7.0


def test_429_without_retry_after_is_retried() -> None:
    failure = classify_answer(429, telegram(429, "Too Many Requests"))
    assert failure is not None
    assert failure.verdict is Verdict.RETRY


@pytest.mark.parametrize("status", [500, 502, 503])
def test_telegram_5xx_is_retried(status: int) -> None:
    failure = classify_answer(status, telegram(status, "Internal Server Error"))
    assert failure == Failure(Verdict.RETRY, "Internal Server Error")
    assert isinstance(error_for(failure), TransientError)


@pytest.mark.parametrize(
    ("status", "description"),
    [
        (400, "Bad Request: chat not found"),
        (403, "Forbidden: bot was blocked by the user"),
        (404, "Not Found"),
        (413, "Request Entity Too Large"),
    ],
)
def test_refusals_of_the_call_are_permanent_with_telegrams_reason(
    status: int, description: str
) -> None:
    failure = classify_answer(status, telegram(status, description))
    assert failure == Failure(Verdict.PERMANENT, description)
    assert not failure.retried
    error = error_for(failure)
    assert isinstance(error, PermanentError)
    assert str(error) == description


@pytest.mark.parametrize(
    ("status", "description"),
    [(401, "Unauthorized"), (409, "Conflict: terminated by other getUpdates request")],
)
def test_answers_about_the_bot_not_the_call_are_unknown_and_retried(
    status: int, description: str
) -> None:
    failure = classify_answer(status, telegram(status, description))
    assert failure == Failure(Verdict.UNKNOWN, description)
    assert failure.retried
    assert isinstance(error_for(failure), TransientError)


def test_a_missing_description_names_the_status() -> None:
    failure = classify_answer(403, '{"ok": false}')
    assert failure == Failure(Verdict.PERMANENT, "HTTP 403")


def test_a_long_description_is_cut() -> None:
    failure = classify_answer(400, telegram(400, "x" * 500))
    assert failure is not None
    assert len(failure.reason) == 200
