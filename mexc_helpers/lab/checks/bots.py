"""The "fix this bot" exercises: a short bot with real bugs, repaired by the learner until the exchange
accepts every order it sends.

The bot is a function ``place_order(params, timestamp, api_key, secret, base_url) -> SignedRequest``: it
builds the request and the check sends it to the lab exchange (never anywhere else). A refused order
is explained by the doctor, which reads the request exactly as the bot built it (raw HTTP) and proves
each bug by reproducing the bot's signature; fixing one bug shows the next, on the smallest order
that still fails.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from ...protocol.signing import SignedRequest
from ..labs import ORDER, lab_exchange
from .runner import CheckResult, Failure, call, exchange_failure, run, unexplained

# Orders whose values need encoding come after a plain one: a bot that only fails on those fails later.
BOT_ORDERS = (
    dict(ORDER),
    {**ORDER, "newClientOrderId": "my bot 1"},
    {**ORDER, "newClientOrderId": "(a),*~!'"},
    {**ORDER, "newClientOrderId": "façade 日本"},
    {**ORDER, "newClientOrderId": "1+1=2&more"},
)
_UNEXPLAINED = (
    "No known client bug reproduces this signature: print what your bot signs and compare it with the "
    "exchange's string above, character by character."
)


def check_fixed_post_bot(post_order: Callable[..., SignedRequest]) -> CheckResult:
    """03: the POST bot, repaired: the exchange accepts every order it sends (query + body signed as one string)."""
    return _check_bot("fixed_post_bot", post_order, "post_order")


def check_fixed_bot(place_order: Callable[..., SignedRequest]) -> CheckResult:
    """06: the workshop's bot, repaired: the exchange accepts every order it sends."""
    return _check_bot("fixed_bot", place_order, "place_order")


def _check_bot(exercise: str, bot: Callable, name: str) -> CheckResult:
    exchange = lab_exchange()

    def judge(pairs):
        params = dict(pairs)
        now = exchange.server_time()
        got = call(bot, dict(params), now, exchange.api_key, exchange.secret, exchange.base_url)
        if not isinstance(got, SignedRequest):
            kind = type(got).__name__
            return Failure(
                kind, (f"{name} returned a {kind}: a bot here returns SignedRequest(method, url, headers, body).",)
            )
        if urlsplit(got.url).netloc != urlsplit(exchange.base_url).netloc:
            return Failure(
                "elsewhere", (f"{name} sends to {urlsplit(got.url).netloc!r}: build the URL from base_url.",)
            )
        target = got.url.split(urlsplit(got.url).netloc, 1)[1]
        failure = exchange_failure(got, exchange)
        if failure is None:
            return None
        sent = f"{name} sent {got.method} {target}" + (f" with the body {got.body!r}" if got.body else " (no body)")
        extra = (_UNEXPLAINED,) if unexplained(failure) else ()
        return Failure(failure.kind, (sent + ".", *failure.lines, *extra))

    def smaller(pairs):
        return (pairs[:index] + pairs[index + 1 :] for index in range(len(pairs)))

    def describe(pairs):
        return f"{name}({dict(pairs)!r}, timestamp, api_key, secret, base_url)"

    praise = f"the exchange accepted every order {name} sent, values needing encoding included"
    inputs = [list(order.items()) for order in BOT_ORDERS]
    return run(exercise, bot, name, inputs, judge, smaller, describe, praise)
