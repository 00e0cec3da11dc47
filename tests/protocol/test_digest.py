"""The signer's speed: its one HMAC is the standard library's, and its fast paths change no byte.

The figures are in benchmarks/bench_signing.py, never asserted here.
"""

import hashlib
import hmac
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mexc_helpers.protocol.digest import hmac_sha256_hex
from mexc_helpers.protocol.signing import SignedRequest, sign_futures, sign_spot

texts = st.text(st.characters(blacklist_categories=("Cs",)))
KEY, SECRET, TIMESTAMP = "mx0aBYs33eIilxBWC5", "45d0b3c26f2644f19bfb98b07741b2f5", 1644489390087
RESERVED = ("timestamp", "recvWindow", "signature")
plain = st.text("ABCXYZabcxyz0189-._~", max_size=8)  # what the fast path takes as is
tricky = st.sampled_from(["a=b", "a&b=c", "&", "=", "x y", "é", "%41", "+", "/", "*", "", "\n", "\ud800"])
names = st.one_of(plain, tricky, texts, st.sampled_from(RESERVED))  # a reserved name takes the general path
plain_values = st.one_of(plain, tricky, st.integers())
any_values = st.one_of(
    plain_values, texts, st.none(), st.booleans(), st.floats(), st.decimals(), st.lists(st.integers(), max_size=2)
)


@given(secret=texts.filter(bool), message=texts)
def test_matches_hmac_new_for_any_secret_and_message(secret, message):
    expected = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    assert hmac_sha256_hex(secret, message) == expected


def test_the_signers_fast_constructor_builds_an_ordinary_signed_request():
    for request in (
        sign_spot("GET", "/api/v3/account", {}, api_key=KEY, secret=SECRET, timestamp=1_700_000_000_000),
        sign_futures("POST", "/api/v1/private/order/submit", {"vol": 1}, api_key=KEY, secret=SECRET),
    ):
        same = SignedRequest(
            request.method, request.url, dict(request.headers), request.body, request.signed_string, request.signature
        )
        assert request == same and hash(request.url) == hash(same.url) and repr(request) == repr(same)


def outcome(sign):
    """What a call gives: the request, or the error it raises with its message."""
    try:
        return sign()
    except ValueError as error:  # SigningError, or EncodingError from encode_params
        return type(error).__name__, str(error)


def signed(params, timestamp=TIMESTAMP, recv_window=None):
    return sign_spot(
        "POST", "/api/v3/order", params, api_key=KEY, secret=SECRET, timestamp=timestamp, recv_window=recv_window
    )


@settings(max_examples=500)
@given(
    params=st.dictionaries(names, plain_values, max_size=8) | st.dictionaries(names, any_values, max_size=8),
    recv_window=st.sampled_from([None, 0, 5000, 60_000, "5000"]),
)
def test_a_dict_of_params_signs_exactly_as_its_list_of_pairs(params, recv_window):
    """sign_spot's fast path for a dict (joined and scanned in one go) against the pair-by-pair path."""
    assert outcome(lambda: signed(params, recv_window=recv_window)) == outcome(
        lambda: signed(list(params.items()), recv_window=recv_window)
    )


@settings(max_examples=300)
@given(
    params=st.dictionaries(names, plain_values, max_size=4) | st.dictionaries(names, any_values, max_size=4),
    timestamp=st.sampled_from([TIMESTAMP, 1_644_489_390, "1644489390087", 1.5, True]),
    recv_window=st.one_of(st.none(), st.integers(-1, 70_000), st.sampled_from(["5000", "5e3", True])),
)
def test_a_dict_of_params_is_refused_exactly_as_its_list_of_pairs(params, timestamp, recv_window):
    """The same checks in the same order, so the same first error, whichever path signs."""
    assert outcome(lambda: signed(params, timestamp, recv_window)) == outcome(
        lambda: signed(list(params.items()), timestamp, recv_window)
    )


def test_the_common_order_signs_as_mexc_documents_it():
    order = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": 1, "price": Decimal("11")}
    request = signed(order, recv_window=5000)
    assert request.signed_string == (
        "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp=1644489390087"
    )
    assert request.signature == hmac.new(SECRET.encode(), request.signed_string.encode(), hashlib.sha256).hexdigest()
