"""Property: a request with any one bug the recipes know is never blamed on the secret. Parameters, values,
the bug and (for the order) the exact permutation are drawn at random; the doctor must prove the bug."""

from __future__ import annotations

import hmac
import re
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mexc_helpers.doctor import diagnose
from mexc_helpers.protocol.encoding import canonical_query
from tests.conftest import DOCS_KEY as KEY
from tests.conftest import DOCS_SECRET as SECRET
from tests.conftest import NOW

names = st.sampled_from(["symbol", "side", "type", "quantity", "price", "memo", "network", "clientId", "a", "b"])
values = st.text(alphabet=list("AZaz09-._ (),+é"), min_size=1, max_size=8)
params = st.lists(st.tuples(names, values), min_size=1, max_size=7, unique_by=lambda pair: pair[0])


def sign(text: str, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), text.encode(), "sha256").hexdigest()


@st.composite
def one_bug(draw):
    """(sent pairs, the string the buggy client signed, the secret it used, the causes that explain it)."""
    pairs = draw(params) + [("timestamp", str(NOW))]
    canonical = canonical_query(pairs)
    bug = draw(st.sampled_from(["order", "plus", "lowercase", "unescaped", "join", "dropped", "whitespace"]))
    secret = SECRET
    if bug == "order":
        signed = canonical_query(draw(st.permutations(pairs)))
        causes = {"signed_order_differs"}
    elif bug == "plus":
        signed = "&".join(f"{quote_plus(k, safe='')}={quote_plus(v, safe='')}" for k, v in pairs)
        causes = {"encoding_plus_for_space", "encoding_unescaped"}
    elif bug == "lowercase":
        signed = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), canonical)
        causes = {"encoding_lowercase_hex"}
    elif bug == "unescaped":
        signed = "&".join(f"{quote(k, safe='(),+')}={quote(v, safe='(),+')}" for k, v in pairs)
        causes = {"encoding_unescaped"}
    elif bug == "join":
        signed = draw(st.sampled_from([f"&{canonical}", f"{canonical}&", f"?{canonical}"]))
        causes = {"join_malformed"}
    elif bug == "dropped":
        index = draw(st.integers(0, len(pairs) - 1))
        signed = canonical_query(pairs[:index] + pairs[index + 1 :])
        causes = {"param_added_after_signing"}
    else:
        signed, secret = canonical, SECRET + draw(st.sampled_from(["\n", " ", "\r\n"]))
        causes = {"secret_whitespace"}
    return pairs, signed, secret, causes


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(case=one_bug())
def test_a_known_bug_is_proven_never_blamed_on_the_secret(case):
    pairs, signed, secret, causes = case
    url = f"https://api.mexc.com/api/v3/account?{canonical_query(pairs)}&signature={sign(signed, secret)}"
    diagnosis = diagnose(f"curl '{url}' -H 'X-MEXC-APIKEY: {KEY}'", SECRET, server_time=NOW)
    if signed == canonical_query(pairs) and secret == SECRET:
        assert diagnosis.causes == ["ok"]  # the "bug" changed nothing here (e.g. nothing to encode)
        return
    assert "signature_unexplained" not in diagnosis.causes, str(diagnosis)
    assert set(diagnosis.causes) & (causes | {"signed_order_differs", "encoding_unescaped"}), str(diagnosis)
    assert diagnosis.findings[0].proven
