"""MEXC's official spot V3 test vectors, and the documentation's own wrong example."""

from mexc_helpers.protocol.signing import sign_spot, spot_signature

SECRET = "45d0b3c26f2644f19bfb98b07741b2f5"
KEY = "mx0aBYs33eIilxBWC5"
QUERY = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp=1644489390087"
VECTOR_1 = "fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a"
VECTOR_2 = "d1a676610ceb39174c8039b3f548357994b2a34139a8addd33baadba65684592"
DOCS_EXAMPLE_1_PRINTED = "323c96ab85a745712e95e63cad28903dd8292e4a905e99c4ee3932023843a117"


def test_query_only_vector_reproduces():
    assert spot_signature(SECRET, QUERY) == VECTOR_1


def test_query_plus_body_vector_reproduces_without_ampersand():
    signed = "symbol=BTCUSDT&side=BUY&type=LIMIT" + "quantity=1&price=11&recvWindow=5000&timestamp=1644489390087"
    assert spot_signature(SECRET, signed) == VECTOR_2
    # joining query and body with "&" is the classic bug: it gives the first vector instead
    assert spot_signature(SECRET, signed.replace("LIMITquantity", "LIMIT&quantity")) != VECTOR_2


def test_docs_example_1_value_does_not_reproduce():
    assert spot_signature(SECRET, QUERY) != DOCS_EXAMPLE_1_PRINTED


def test_sign_spot_builds_both_vectors_from_params():
    order = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT"}
    in_query = sign_spot(
        "POST",
        "/api/v3/order",
        {**order, "quantity": 1, "price": 11},
        api_key=KEY,
        secret=SECRET,
        recv_window=5000,
        timestamp=1644489390087,
    )
    assert in_query.signed_string == QUERY
    assert in_query.signature == VECTOR_1
    assert in_query.url == f"https://api.mexc.com/api/v3/order?{QUERY}&signature={VECTOR_1}"
    in_body = sign_spot(
        "POST",
        "/api/v3/order",
        order,
        body={"quantity": 1, "price": 11},
        api_key=KEY,
        secret=SECRET,
        recv_window=5000,
        timestamp=1644489390087,
    )
    assert in_body.signature == VECTOR_2
    assert in_body.body == "quantity=1&price=11&recvWindow=5000&timestamp=1644489390087"
    assert in_body.url.endswith(f"type=LIMIT&signature={VECTOR_2}")
