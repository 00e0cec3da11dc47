"""Property tests: whatever a user puts in their parameters, the real signer is accepted, and each
classic client-side encoding bug is refused with 700002."""

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mexc_helpers.protocol.clock import now_ms
from mexc_helpers.protocol.signing import SignedRequest, sign_spot, spot_signature
from mexc_helpers.server.exchange import LocalExchange
from tests.conftest import DOCS_KEY, DOCS_SECRET

TRICKY = " ,()~*+&=%/'\"!#$:;@[]?üé中€\t"
names = st.from_regex(r"[a-zA-Z][a-zA-Z0-9]{0,11}", fullmatch=True).filter(
    lambda name: name not in ("timestamp", "recvWindow", "signature")
)
values = st.text(st.one_of(st.sampled_from(TRICKY), st.characters(blacklist_categories=("Cs",))), max_size=24)
param_dicts = st.dictionaries(names, values, min_size=1, max_size=6)
# Any name a user may type (not only identifiers), and the value types sign_spot accepts.
any_names = st.text(
    st.one_of(st.sampled_from(TRICKY), st.characters(blacklist_categories=("Cs",))), min_size=1, max_size=12
).filter(lambda name: name not in ("timestamp", "recvWindow", "signature"))
typed_values = st.one_of(
    values,
    st.integers(-(10**12), 10**12),
    st.booleans(),
    st.decimals(allow_nan=False, allow_infinity=False, places=8, min_value=-(10**9), max_value=10**9),
)
typed_params = st.dictionaries(any_names, typed_values, min_size=1, max_size=6)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def live():
    with LocalExchange() as ex:
        yield ex


def send_signed_string(live, signed_string: str, signature: str | None = None):
    """Send exactly ``signed_string`` as the query, as a client with that bug would."""
    signature = signature or spot_signature(DOCS_SECRET, signed_string)
    url = f"{live.base_url}/api/v3/account?{signed_string}&signature={signature}"
    return SignedRequest("GET", url, {"X-MEXC-APIKEY": DOCS_KEY}).send()


def with_timestamp(query: str) -> str:
    """Append a fresh ``timestamp=`` so that only the encoding bug can fail the request."""
    return f"{query}&timestamp={now_ms()}"


@SETTINGS
@given(params=typed_params)
def test_anything_signed_by_sign_spot_is_accepted(live, params):
    """Any names (not only identifiers) and every value type sign_spot takes: str, int, bool, Decimal."""
    response = sign_spot(
        "GET", "/api/v3/account", params, api_key=DOCS_KEY, secret=DOCS_SECRET, base_url=live.base_url
    ).send()
    assert response.status_code == 200, (params, response.text, str(live.log.last))


def inject(params: dict, text: str) -> dict:
    """Make sure the bug has something to bite: add ``text`` to the first value."""
    name = next(iter(params))
    return {**params, name: params[name] + text}


@SETTINGS
@given(params=param_dicts)
def test_plus_for_space_is_refused(live, params):
    params = inject(params, "my order 1")
    response = send_signed_string(live, with_timestamp(urlencode(params)))  # quote_plus: space -> "+"
    assert response.json()["code"] == 700002


@SETTINGS
@given(params=param_dicts)
def test_lowercase_hex_is_refused(live, params):
    params = inject(params, "1,2,3")
    canonical = urlencode(params, quote_via=quote)
    lowered = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), canonical)
    assert "%2c" in lowered
    assert send_signed_string(live, with_timestamp(lowered)).json()["code"] == 700002


@SETTINGS
@given(params=param_dicts, where=st.sampled_from(["(", ")"]))
def test_unescaped_parentheses_are_refused(live, params, where):
    params = inject(params, f"BEP20{where}BSC")
    raw = urlencode(params, quote_via=lambda text, *_: quote(text, safe="()"))
    assert where in raw
    assert send_signed_string(live, with_timestamp(raw)).json()["code"] == 700002


@SETTINGS
@given(params=param_dicts)
def test_uppercase_digest_is_refused(live, params):
    signed = sign_spot("GET", "/api/v3/account", params, api_key=DOCS_KEY, secret=DOCS_SECRET)
    assume(signed.signature != signed.signature.upper())
    response = send_signed_string(live, signed.signed_string, signed.signature.upper())
    assert response.json()["code"] == 700002
    assert live.log.last.reason.startswith("the signature is right but in uppercase hex")


@settings(max_examples=300, deadline=None)
@given(params=typed_params)
def test_encoded_params_decode_back_to_each_name_and_value(params):
    """What the server decodes is what the user gave: no name or value is split, merged or lost."""
    from mexc_helpers.protocol.encoding import encode_params, format_value, parse_query

    decoded = parse_query(encode_params(params))
    assert decoded == [(name, format_value(value)) for name, value in params.items()]
