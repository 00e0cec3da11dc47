"""The canonical encoding: every value type, and the strict decoder the server uses."""

import json
from decimal import Decimal

import pytest

from mexc_helpers.protocol.encoding import EncodingError, canonical_query, parse_query, strict_unquote
from mexc_helpers.protocol.signing import encode_params


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("BTCUSDT", "BTCUSDT"),
        (0.00001, "0.00001"),
        (1e-7, "0.0000001"),
        (1e20, "100000000000000000000"),
        (0.1, "0.1"),
        (Decimal("1E+2"), "100"),
        (Decimal("0.000010"), "0.000010"),
        (12, "12"),
        (True, "true"),
        (False, "false"),
        ("my order 1", "my%20order%201"),
        ("1,2,3", "1%2C2%2C3"),
        ("BEP20(BSC)", "BEP20%28BSC%29"),
        ("façade", "fa%C3%A7ade"),
        ("a~b*c", "a~b%2Ac"),
        ("a/b+c&d=e", "a%2Fb%2Bc%26d%3De"),
        ("-._", "-._"),
    ],
)
def test_values_encode_canonically(value, encoded):
    assert encode_params({"v": value}) == f"v={encoded}"


def test_insertion_order_is_kept_and_none_dropped():
    assert encode_params({"z": 1, "a": None, "m": "x", "b": 2}) == "z=1&m=x&b=2"
    assert encode_params([("b", 1), ("a", 2)]) == "b=1&a=2"


def test_batch_orders_become_compact_percent_encoded_json():
    batch = [{"symbol": "BTCUSDT", "price": Decimal("0.1"), "quantity": 2}]
    encoded = encode_params({"batchOrders": batch})
    name, value = parse_query(encoded)[0]
    assert name == "batchOrders"
    assert json.loads(value) == [{"symbol": "BTCUSDT", "price": "0.1", "quantity": 2}]
    assert " " not in value and "%2C" in encoded and "%7B" in encoded


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity")])
def test_non_finite_numbers_are_refused(bad):
    with pytest.raises(EncodingError, match="not a finite number"):
        encode_params({"price": bad})


def test_unknown_types_are_refused_with_what_was_expected():
    with pytest.raises(EncodingError, match="expected str, int, float, Decimal, bool, list or dict"):
        encode_params({"when": object()})


def test_strict_unquote_decodes_plus_as_space_and_uppercase_or_lowercase_hex():
    assert strict_unquote("a+b%2cc%2C") == "a b,c,"


@pytest.mark.parametrize(
    ("raw", "message"),
    [("%G1", "bad percent escape"), ("abc%", "bad percent escape"), ("%2", "bad percent escape"), ("%FF%FE", "UTF-8")],
)
def test_strict_unquote_refuses_malformed_escapes(raw, message):
    with pytest.raises(EncodingError, match=message):
        strict_unquote(raw)


def test_server_rebuilds_the_canonical_form_of_any_client_encoding():
    for sent in ("memo=a+b%2cc", "memo=a%20b%2Cc", "memo=a b,c"):
        assert canonical_query(parse_query(sent)) == "memo=a%20b%2Cc"
    assert parse_query("a=1&&b=&c") == [("a", "1"), ("b", ""), ("c", "")]
