"""The doctor and the local exchange agree on every request: random spot and futures requests (random
parameters, orders, encodings, duplicates, missing pieces, time offsets, recvWindow 0..70000, signing
bugs) go to the exchange's WSGI app over HTTP and to the doctor as the curl command a user would paste.

For each, the doctor's verdict (ok, or which code) must be the exchange's answer, and its fixed
request must pass the exchange's checks. The doctor assumes the key is registered (it cannot know the
exchange's accounts), and it does not know the exchange's business rules, so a business refusal after
the signature was accepted counts as "ok" for it.
"""

from __future__ import annotations

import json
import os
import shlex
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from mexc_helpers.doctor import UnusableInput, diagnose
from mexc_helpers.doctor.encoders import LOWERCASE, QUOTE_PLUS, REQUESTS_URL
from mexc_helpers.protocol.digest import hmac_sha256_hex
from mexc_helpers.protocol.encoding import canonical_query, percent_encode
from mexc_helpers.server.app import ExchangeApp
from tests.conftest import DOCS_KEY as KEY
from tests.conftest import DOCS_SECRET as SECRET
from tests.conftest import NOW

BASE = "https://api.mexc.com"
FUTURES_BASE = "https://contract.mexc.com"
APP = ExchangeApp({KEY: SECRET}, clock=lambda: NOW, log_size=10)
CLIENT = Client(APP)
# The suite's 300 examples; CI hunts longer (AGREEMENT_EXAMPLES=1500, .ci/run), AGREEMENT_EXAMPLES=20000 longer still.
CASES = settings(
    max_examples=int(os.environ.get("AGREEMENT_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

names = st.sampled_from(["symbol", "side", "type", "quantity", "price", "note", "a", "B", "x_y"])
values = st.text(alphabet=list("AZaz09-._~ (),*+/é%&=!:"), max_size=8)
params = st.lists(st.tuples(names, values), max_size=6)
# Spot timestamps: inside, at and past each edge of the window (recvWindow 5000 unless sent), in
# seconds, missing, not digits, a Unicode digit, too many digits.
offsets = st.one_of(
    st.sampled_from([0, 999, 1000, -5000, -5001, -60000, -60001, -70000, 2000]),
    st.integers(-80_000, 5_000),
)
odd_times = st.sampled_from(["", "abc", "²", "1" * 40, str(NOW // 1000), "-5", " 1700000000000"])
recv_windows = st.one_of(st.none(), st.integers(0, 70_000).map(str), st.sampled_from(["", "5s", "²", "0"]))


def encode(pairs, style: str) -> str:
    """Pairs joined as a client with this encoding style sends (or signs) them (the doctor's library models,
    checked against the libraries in test_encoders.py)."""
    encoder = {"plus": QUOTE_PLUS, "raw": REQUESTS_URL, "lowercase": LOWERCASE}.get(style)
    if encoder is None:
        return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in pairs)
    return "&".join(f"{encoder.encode(k)}={encoder.encode(v)}" for k, v in pairs)


def curl(method: str, url: str, headers: dict, body: str | None) -> str:
    parts = ["curl", "-X", method, shlex.quote(url)]
    for name, value in headers.items():
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if body is not None:
        parts += ["--data-raw", shlex.quote(body)]
        if not any(name.lower() == "content-type" for name in headers):
            parts += ["-H", "'Content-Type:'"]  # how curl sends a body without the Content-Type it would add
    return " ".join(parts)


def exchange_code(method: str, path: str, query: str, headers: dict, body: str | None) -> int:
    response = CLIENT.open(path, method=method, query_string=query, headers=headers, data=body or "")
    assert response.status_code < 500, response.get_data(as_text=True)
    payload = response.get_json()
    return payload.get("code", 0) if isinstance(payload, dict) else 0


def exchange_answer(method: str, path: str, query: str, headers: dict, body: str | None) -> int:
    """The exchange's code as the doctor can know it: a business refusal (after the signature passed) is 0."""
    code = exchange_code(method, path, query, headers, body)
    return 0 if APP.log.last.cause == "business" else code


def assert_agree(method, base, path, query, headers, body, answer):
    text = curl(method, f"{base}{path}?{query}" if query else f"{base}{path}", headers, body)
    try:
        diagnosis = diagnose(text, SECRET, server_time=NOW)
    except UnusableInput as error:
        # The doctor reads only signed requests: one without a whole signature is refused as input,
        # with one line saying why; the exchange refuses it too.
        assert answer in (400, 401, 700001, 700004, 700008, 602, 33333), (text, error)
        assert "signature" in str(error) or "cut short" in str(error), (text, error)
        return None
    expected = answer
    assert diagnosis.code == expected, (text, str(diagnosis))
    assert (diagnosis.verdict == "ok") == (expected == 0), (text, str(diagnosis))
    # The signature can be checked when it is there (futures: with the key it signs).
    futures = path.startswith("/api/v1/")
    in_body = method != "GET" and "signature=" in (body or "")  # a spot GET's body is not read
    signed = {"Signature", "ApiKey"} <= set(headers) if futures else "signature=" in query or in_body
    assert diagnosis.signature_checked or not signed, (text, str(diagnosis))
    fixed = diagnosis.fixed_request
    if fixed is not None and expected not in (400, 401, 700001):  # no key given: the fix keeps a placeholder
        parts = urlsplit(fixed.url)
        answer = exchange_answer(fixed.method, parts.path, parts.query, dict(fixed.headers), fixed.body)
        assert answer == 0, (text, fixed.to_curl(), answer)
    return diagnosis


@st.composite
def spot_requests(draw):
    method, path = draw(st.sampled_from([("GET", "/api/v3/account"), ("POST", "/api/v3/order/test")]))
    pairs = draw(params)
    if pairs and draw(st.booleans()):  # a parameter sent twice (possibly the timestamp, below)
        pairs.insert(draw(st.integers(0, len(pairs))), draw(st.sampled_from(pairs)))
    window = draw(recv_windows)
    time_value = draw(st.one_of(offsets.map(lambda offset: str(NOW + offset)), odd_times))
    time_pairs = ([("recvWindow", window)] if window is not None else []) + (
        [("timestamp", time_value)] if time_value != "" or draw(st.booleans()) else []
    )
    if draw(st.booleans()):
        time_pairs.reverse()
    pairs = pairs + time_pairs
    if pairs and draw(st.integers(0, 4)) == 0:
        pairs.insert(0, draw(st.sampled_from(pairs)))
    style = draw(st.sampled_from(["canonical", "canonical", "plus", "lowercase", "raw"]))
    split = draw(st.integers(0, len(pairs)))
    body_kind = draw(st.sampled_from(["none", "none", "form", "json"]))
    query_pairs, body_pairs = (pairs[:split], pairs[split:]) if body_kind == "form" else (pairs, [])
    bug = draw(st.sampled_from(["none", "none", "sent_bytes", "sorted", "dropped", "secret", "upper"]))
    signed_query = {
        "sent_bytes": encode(query_pairs, style),
        "sorted": canonical_query(sorted(query_pairs)),
        "dropped": canonical_query(query_pairs[1:]),
    }.get(bug, canonical_query(query_pairs))
    body = encode(body_pairs, style) if body_kind == "form" else None
    if body_kind == "json":
        body = json.dumps(dict(draw(params)))
    signed = signed_query + (canonical_query(body_pairs) if body_kind == "form" else "")
    signature = hmac_sha256_hex("not-the-secret" if bug == "secret" else SECRET, signed)
    signature = signature.upper() if bug == "upper" else signature
    query = encode(query_pairs, style)
    place = draw(st.sampled_from(["query", "query", "query", "body", "none"]))
    if place == "query":
        query = f"{query}&signature={signature}" if query else f"signature={signature}"
    elif place == "body":
        body = f"{body}&signature={signature}" if body_kind == "form" and body else f"signature={signature}"
    key = draw(st.sampled_from([KEY, KEY, KEY, KEY, None, "bad key!", "short"]))
    headers = {} if key is None else {"X-MEXC-APIKEY": key}
    if method == "POST" and draw(st.integers(0, 5)):  # sometimes no Content-Type at all (700013)
        headers["Content-Type"] = "application/x-www-form-urlencoded" if body_kind == "form" else "application/json"
    if key is None and draw(st.booleans()):  # signed the futures way, on a spot path
        headers.update({"ApiKey": KEY, "Request-Time": str(NOW), "Signature": signature})
    return method, path, query, headers, body


@st.composite
def futures_requests(draw):
    method, path = draw(
        st.sampled_from(
            [
                ("GET", "/api/v1/private/account/assets"),
                ("GET", "/api/v1/private/order/list/open_orders"),
                ("POST", "/api/v1/private/order/cancel"),
                ("POST", "/api/v1/private/order/submit"),
            ]
        )
    )
    pairs = draw(params)
    if pairs and draw(st.booleans()):
        pairs.append(draw(st.sampled_from(pairs)))
    style = draw(st.sampled_from(["canonical", "canonical", "plus", "lowercase", "raw"]))
    request_time = draw(
        st.one_of(
            st.sampled_from([NOW, NOW + 10_000, NOW + 10_001, NOW - 10_000, NOW - 10_001, NOW + 60_000]).map(str),
            st.integers(NOW - 70_000, NOW + 70_000).map(str),
            odd_times,
        )
    )
    window = draw(st.one_of(st.none(), st.integers(0, 70).map(str), st.sampled_from(["", "x", "²"])))
    bug = draw(st.sampled_from(["none", "none", "unsorted", "sent_bytes", "dropped", "reserialized", "kv", "upper"]))
    if method == "POST":
        body = draw(
            st.one_of(
                st.just(json.dumps(dict(pairs), separators=(",", ":"))),
                st.just(json.dumps(dict(pairs))),
                st.just(json.dumps([1, 2])),
                st.sampled_from(["", "symbol=BTC_USDT", "{", "[" * 50, "null"]),
            )
        )
        query = ""
        param_string = {
            "reserialized": json.dumps(dict(pairs)),
            "kv": canonical_query(pairs),
        }.get(bug, body)
    else:
        body, query = None, encode(pairs, style)
        param_string = {
            "unsorted": canonical_query(pairs),
            "sent_bytes": query,
            "dropped": canonical_query(sorted(pairs)[1:]),
        }.get(bug, canonical_query(sorted(pairs)))
    key = draw(st.sampled_from([KEY, KEY, KEY, None, "bad key!"]))
    signature = hmac_sha256_hex(SECRET, f"{key or ''}{request_time}{param_string}")
    signature = signature.upper() if bug == "upper" else signature
    headers = {"Content-Type": "application/json"}
    for name, value in (("ApiKey", key), ("Request-Time", request_time), ("Recv-Window", window)):
        if value is not None and (name != "Request-Time" or value != "" or draw(st.booleans())):
            headers[name] = value
    if draw(st.integers(0, 6)):
        headers["Signature"] = signature
    return method, path, query, headers, body


@CASES
@given(spot_requests())
@pytest.mark.slow
def test_the_doctor_agrees_with_the_exchange_on_spot_requests(request):
    method, path, query, headers, body = request
    assert_agree(method, BASE, path, query, headers, body, exchange_answer(method, path, query, headers, body))


@CASES
@given(futures_requests())
@pytest.mark.slow
def test_the_doctor_agrees_with_the_exchange_on_futures_requests(request):
    method, path, query, headers, body = request
    assert_agree(method, FUTURES_BASE, path, query, headers, body, exchange_answer(method, path, query, headers, body))


def test_the_cases_from_the_issue_agree():
    """A repeated symbol or timestamp (33333), and recvWindow=0 (accepted, with a working fix)."""
    for query in (
        f"symbol=BTCUSDT&symbol=ETHUSDT&timestamp={NOW}",
        f"symbol=BTCUSDT&timestamp={NOW}&timestamp={NOW}",
        f"symbol=BTCUSDT&recvWindow=0&timestamp={NOW}",
    ):
        signed = f"{query}&signature={hmac_sha256_hex(SECRET, canonical_query(_pairs(query)))}"
        headers = {"X-MEXC-APIKEY": KEY}
        answer = exchange_answer("GET", "/api/v3/account", signed, headers, None)
        diagnosis = assert_agree("GET", BASE, "/api/v3/account", signed, headers, None, answer)
        assert diagnosis.code == answer == (0 if "recvWindow=0" in query else 33333)
        assert diagnosis.causes == (["ok"] if answer == 0 else ["param_sent_twice"])


def _pairs(query: str):
    return [tuple(piece.split("=", 1)) for piece in query.split("&")]
