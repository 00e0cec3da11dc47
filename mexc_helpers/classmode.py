"""Class mode, from the students' and the instructor's side of a class exchange (``mexc-lab serve --class``).

Class mode is on when ``MEXC_LAB_URL`` is set: the labs talk to the class exchange with the key pair the
instructor handed out (MEXC_API_KEY / MEXC_SECRET_KEY, read as :meth:`RemoteExchange.from_env` reads them).

- :func:`class_exchange`: the class exchange, its connection checked once (the notebooks' setup cell):
  anything wrong is one :class:`~mexc_helpers.client.LabSetupError` line that says what to do;
- :func:`report_exercise`: an exercise's result, sent to the class exchange for the instructor's dashboard
  (a no-op outside class mode; it never raises);
- :func:`fetch_class_stats`: the instructor's view, ``/lab/stats``.
"""

from __future__ import annotations

import os
from dataclasses import replace

import requests

from .client import LabSetupError, RemoteExchange, ServerTimeError, base_url_from_env, fetch_server_time
from .protocol.envelope import read_answer
from .protocol.errors import MexcAPIError
from .protocol.signing import sign_spot
from .protocol.urls import LAB_URL_VARIABLE
from .server.app import DEMO_HEADER, EXERCISE_PATH

CHECK_TIMEOUT_S = 3.0  # the setup's check: a class exchange on the room's network answers in milliseconds
REPORT_TIMEOUT_S = 3.0
CREDENTIAL_VARIABLES = ("MEXC_API_KEY", "MEXC_SECRET_KEY")
CHECK_PATH = "/api/v3/account"  # the setup's signed request: read-only, answered for any registered key
_WHITESPACE = {"\r": "a carriage return (\\r)", "\n": "a newline (\\n)", " ": "a space", "\t": "a tab"}

_checked: tuple[tuple, RemoteExchange] | None = None  # the environment it was built from, and the exchange


def _environment() -> tuple:
    return tuple(os.environ.get(name) for name in (LAB_URL_VARIABLE, *CREDENTIAL_VARIABLES))


def padding_problem(environ=os.environ) -> str | None:
    """One line if MEXC_API_KEY or MEXC_SECRET_KEY begins or ends with whitespace (``\\r`` from a keys file cut
    with Windows line endings, a newline, a space), else None. It names the variable, never shows its value."""
    for name in CREDENTIAL_VARIABLES:
        value = environ.get(name) or ""
        for end, char in (("ends", value[-1:]), ("begins", value[:1])):
            if char.isspace():
                what = _WHITESPACE.get(char, f"whitespace ({char!r})")
                why = ": the keys file was cut with Windows line endings" if char == "\r" else ""
                return f"{name} {end} with {what}{why}; remove it"
    return None


def check_connection(exchange: RemoteExchange) -> None:
    """One unsigned call (the server time) and one signed call (the account, tagged as the kit's own request);
    a :class:`LabSetupError` with one line if either fails, saying which and what to do."""
    url = exchange.base_url
    try:
        fetch_server_time(url, exchange.session, CHECK_TIMEOUT_S)
        signed = sign_spot(
            "GET",
            CHECK_PATH,
            {},
            api_key=exchange.api_key,
            secret=exchange.secret,
            timestamp=exchange.server_clock.now(),
            base_url=url,
        )
        response = replace(signed, headers={**signed.headers, DEMO_HEADER: "1"}).send(exchange.session, CHECK_TIMEOUT_S)
    except ServerTimeError as error:
        raise LabSetupError(f"cannot reach the class exchange at {url}: {error.reason}") from None
    except requests.RequestException as error:
        raise LabSetupError(f"cannot reach the class exchange at {url}: {type(error).__name__}") from None
    answer = read_answer(response.status_code, response.text)
    if answer.accepted:
        return
    if answer.code == 700002:
        raise LabSetupError(
            "this key and secret do not match (the class exchange refused a correctly signed request with 700002): "
            "copy MEXC_API_KEY and MEXC_SECRET_KEY again, both from your own row of keys.csv"
        )
    if answer.code == 10072:
        raise LabSetupError(
            f"the class exchange at {url} does not know the API key {exchange.api_key[:4]}... (10072): copy "
            "MEXC_API_KEY again from your row of keys.csv, or ask whether the class was restarted with new keys"
        )
    raise LabSetupError(
        f"the class exchange at {url} refused the kit's signed check (GET {CHECK_PATH}): {answer.code} {answer.message}"
    )


def class_exchange() -> RemoteExchange:
    """The class exchange named by MEXC_LAB_URL (with MEXC_API_KEY / MEXC_SECRET_KEY), its connection checked
    (:func:`check_connection`) the first time, and again whenever those variables change.

    Anything wrong is one :class:`LabSetupError` line: a missing variable, a key or secret padded with
    whitespace (checked before anything is sent), an exchange that cannot be reached, a key it does not
    know, a key and secret that do not match.
    """
    global _checked
    if _checked is not None and _checked[0] == _environment():
        return _checked[1]
    exchange = RemoteExchange.from_env()  # it may read a .env file into the environment
    problem = padding_problem()
    if problem:
        raise LabSetupError(problem)
    check_connection(exchange)
    _checked = (_environment(), exchange)
    return exchange


def report_exercise(exercise: str, passed: bool) -> None:
    """Send an exercise's result (``POST /lab/exercise``, signed with the student's key) to the class exchange.

    A no-op outside class mode (MEXC_LAB_URL not set). It never raises: when the result cannot be sent it
    prints one line saying why, and the check's own verdict stands.
    """
    if not os.environ.get(LAB_URL_VARIABLE):
        return
    try:
        exchange = class_exchange()
        signed = sign_spot(
            "POST",
            EXERCISE_PATH,
            {"exercise": exercise, "passed": "true" if passed else "false"},
            api_key=exchange.api_key,
            secret=exchange.secret,
            timestamp=exchange.server_clock.now(),
            base_url=exchange.base_url,
        )
        response = signed.send(exchange.session, REPORT_TIMEOUT_S)
        answer = read_answer(response.status_code, response.text)
        if answer.accepted:
            return
        reason = f"it answered {answer.code} {answer.message}"
    except LabSetupError as error:
        reason = str(error)
    except (requests.RequestException, ServerTimeError) as error:
        reason = f"cannot reach the class exchange ({type(error).__name__})"
    except Exception as error:  # a report must never break the check that sends it, nor show a traceback
        reason = type(error).__name__
    print(f"(this result was not reported to the class exchange: {reason})")


def fetch_class_stats(base_url: str, token: str | None = None) -> dict:
    """The class exchange's ``/lab/stats`` (the instructor's view): requests per student key and answer code,
    the labs' demos apart, and each key's exercise results.

    A class exchange answers it only with the instructor token printed by ``mexc-lab serve --class``.
    """
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.get(f"{base_url_from_env(base_url)}/lab/stats", headers=headers, timeout=10)
    answer = read_answer(response.status_code, response.text)
    if not isinstance(answer.data, dict) or "keys" not in answer.data:
        raise MexcAPIError(answer.code, answer.message, response.status_code)
    return answer.data
