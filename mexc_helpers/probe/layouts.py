"""Spot experiments on where a test order's parameters and signature sit: the query, a form body, a JSON body.

MEXC's docs allow the signature "in the query string or request body", a form or a JSON body, and a
parameter in both places (the query's value used); the kit's signer sends everything in the query,
the one layout every source accepts. Each experiment here starts from the kit's signer and moves one
thing, to ask how the server reads the layouts public clients actually send.

It builds on :mod:`.steps` (the kit's signer, the steps); :mod:`.experiments` lists these experiments.
"""

from __future__ import annotations

import json

from ..protocol.encoding import parse_query
from ..protocol.signing import SignedRequest, spot_signature
from .steps import ORDER_PARAMS, TEST_ORDER, WRONG_SECRET, Build, Experiment, Step, Target, kit

# hummingbot's connector and MEXC's own Java demo label a k=v body as JSON: the server reads a body by its shape.
JSON_LABEL = {"Content-Type": "application/json"}
UNKNOWN_SYMBOL = "NOTASYMBOL"
# Business refusals that answer the question, so told apart from acceptance: 30014 "invalid symbol" says which copy
# of ``symbol`` was read; 33333 "param is error" (the kit's answer to a name twice in one place) would refuse both.
SYMBOL_READ = frozenset({30014, 33333})


def form_body(*, signature_in_body: bool, secret: str | None = None) -> Build:
    """The test order with every parameter in a form body and an empty query, as hummingbot sends it.

    The kit's signer signs the body (query + body, the query empty); the signature then goes in the
    query or at the end of the body, which totalParams leaves out wherever it sits. ``secret`` signs
    with another secret, to show the body's signature is checked, not skipped.
    """
    build = kit(TEST_ORDER, body=ORDER_PARAMS)

    def variant(target: Target) -> SignedRequest:
        request = build(target)
        digest = spot_signature(secret or target.secret, request.signed_string)
        url, body = request.url.partition("?")[0], request.body
        if signature_in_body:
            body = f"{body}&signature={digest}"
        else:
            url = f"{url}?signature={digest}"
        headers = {**request.headers, **JSON_LABEL}
        return SignedRequest(request.method, url, headers, body, request.signed_string, digest)

    return variant


def json_body(*, signed_as_form: bool) -> Build:
    """The test order's parameters (timestamp included) as a JSON object body, the signature in the query.

    Signed as the kit reads totalParams for JSON (the empty query, then the JSON text as sent), or,
    with ``signed_as_form``, as the k=v form of the same parameters: what a server that turned the
    JSON into parameters before signing would rebuild.
    """
    build = kit(TEST_ORDER, ORDER_PARAMS)

    def variant(target: Target) -> SignedRequest:
        request = build(target)
        text = json.dumps(dict(parse_query(request.signed_string)), separators=(",", ":"))
        signed = request.signed_string if signed_as_form else text
        digest = spot_signature(target.secret, signed)
        url = f"{request.url.partition('?')[0]}?signature={digest}"
        return SignedRequest(request.method, url, {**request.headers, **JSON_LABEL}, text, signed, digest)

    return variant


def symbol_twice(in_query: str, in_body: str) -> Build:
    """The test order with ``symbol`` in the query and again, another value, in the form body.

    The kit's signer signs both copies as sent (query + body) and puts the signature in the query.
    """
    return kit(TEST_ORDER, (("symbol", in_query),), body=(("symbol", in_body),) + ORDER_PARAMS[1:])


LAYOUTS: tuple[Experiment, ...] = (
    Experiment(
        "signature-in-form-body",
        "Is a signature sent in a form body read and checked like one in the query?",
        "spot-signature",
        TEST_ORDER,
        (
            Step(
                "query",
                "every parameter in a k=v body labelled JSON, the signature in the query",
                form_body(signature_in_body=False),
            ),
            Step(
                "body",
                "every parameter and the signature in a k=v body labelled JSON, an empty query",
                form_body(signature_in_body=True),
            ),
            Step(
                "body, bad signature",
                "as in the body, signed with another secret",
                form_body(signature_in_body=True, secret=WRONG_SECRET),
            ),
        ),
    ),
    Experiment(
        "spot-json-body",
        "Is a JSON body signed as the query followed by the JSON text exactly as sent?",
        "spot-json-body",
        TEST_ORDER,
        (
            Step(
                "JSON text",
                "parameters in a JSON body, signed as query + the JSON text",
                json_body(signed_as_form=False),
            ),
            Step("k=v", "parameters in a JSON body, signed as their k=v form", json_body(signed_as_form=True)),
        ),
    ),
    Experiment(
        "param-in-query-and-body",
        "Is a parameter in both the query and the body accepted, with the query's value used?",
        "duplicate-parameters",
        TEST_ORDER,
        (
            Step(
                "query BTCUSDT",
                f"symbol=BTCUSDT in the query, symbol={UNKNOWN_SYMBOL} in the form body, both signed",
                symbol_twice("BTCUSDT", UNKNOWN_SYMBOL),
                told_apart=SYMBOL_READ,
            ),
            Step(
                "body BTCUSDT",
                f"symbol={UNKNOWN_SYMBOL} in the query, symbol=BTCUSDT in the form body, both signed",
                symbol_twice(UNKNOWN_SYMBOL, "BTCUSDT"),
                told_apart=SYMBOL_READ,
            ),
        ),
    ),
)
