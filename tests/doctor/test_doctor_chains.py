"""Property: a spot request signed with any chain of up to three client bugs from different families is
explained by the doctor with a chain that signs exactly the same bytes with the same key, never blamed on
the secret.

The bugs are applied here with this file's own code, not with the doctor's search, so the test does not grade
the doctor with its own answers: what must match is the string the bot signed (``client_signed``), the kind of
key used (padded secret, swapped HMAC) and the form of the digest. The libraries' encodings are the doctor's
models (mexc_helpers.doctor.encoders), each checked against the library itself in test_encoders.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mexc_helpers.doctor import diagnose
from mexc_helpers.doctor.encoders import ENCODE_URI_COMPONENT, ENCODERS
from tests.conftest import DOCS_KEY as KEY
from tests.conftest import DOCS_SECRET as SECRET

T = "1700000000000"
PATH = "/api/v3/order"
CANONICAL_SAFE = "-._~"


# Each library's percent-encoding (and the lowercase-hex and unencoded bugs), by the doctor's names.
ENCODINGS = {encoder.name: encoder.encode for encoder in ENCODERS}
FRAMES = ["&{}", "{}&", "?{}", "{}\n", "{}\r\n", PATH + "?{}", "POST" + PATH + "?{}", f"POST {PATH}?{{}}"]
SECRETS = [
    SECRET + "\n",
    SECRET + "\r",
    SECRET + "\r\n",
    " " + SECRET,
    "\ufeff" + SECRET,
    f'"{SECRET}"',
    f"'{SECRET}'",
    f"MEXC_SECRET_KEY={SECRET}",
    f'export MEXC_SECRET_KEY="{SECRET}"\r',
]


NAMES = st.sampled_from(
    ["symbol", "side", "type", "quantity", "price", "newClientOrderId", "timeInForce", "recvWindow", "memo", "network"]
)
VALUES = st.text(alphabet="abcXYZ019 ()*~!',.-_é/:", min_size=1, max_size=12)
FAMILIES = ("added", "order", "encoding", "framing", "secret", "hmac", "form")


@st.composite
def requests_with_bugs(draw):
    names = draw(st.lists(NAMES, min_size=1, max_size=9, unique=True))
    pairs = [(name, draw(VALUES)) for name in names] + [("timestamp", T)]
    families = draw(st.lists(st.sampled_from(FAMILIES), min_size=1, max_size=3, unique=True))
    chain = {}
    if "added" in families:
        chain["added"] = draw(st.integers(0, len(pairs) - 1))
    if "encoding" in families:
        chain["encoding"] = draw(st.sampled_from(sorted(ENCODINGS)))
    if "framing" in families:
        chain["framing"] = draw(st.sampled_from(FRAMES))
    if "secret" in families:
        chain["secret"] = draw(st.sampled_from(SECRETS))
    if "form" in families:
        chain["form"] = draw(st.sampled_from(["uppercase", "base64"]))
    for family in ("order", "hmac"):
        if family in families:
            chain[family] = True
    return pairs, chain


def signed_by_bot(pairs, chain) -> tuple[str, str]:
    """(the string the buggy bot signs, the signature it sends)."""
    signed = [pair for index, pair in enumerate(pairs) if index != chain.get("added")]
    if chain.get("order"):
        signed = sorted(signed)
    encode = ENCODINGS[chain["encoding"]] if "encoding" in chain else (lambda v: quote(v, safe=CANONICAL_SAFE))
    message = "&".join(f"{encode(name)}={encode(value)}" for name, value in signed)
    message = chain.get("framing", "{}").replace("{}", message)
    key = chain.get("secret", SECRET)
    if chain.get("hmac"):
        digest = hmac.new(message.encode(), key.encode(), hashlib.sha256).digest()
    else:
        digest = hmac.new(key.encode(), message.encode(), hashlib.sha256).digest()
    form = chain.get("form")
    signature = base64.b64encode(digest).decode() if form == "base64" else digest.hex()
    return message, signature.upper() if form == "uppercase" else signature


KEY_CAUSES = {"secret_whitespace", "secret_quoted"}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests_with_bugs())
def test_any_chain_of_three_bugs_is_named_with_the_same_bytes_never_the_secret(case):
    pairs, chain = case
    message, signature = signed_by_bot(pairs, chain)
    query = "&".join(f"{quote(name, safe=CANONICAL_SAFE)}={quote(value, safe=CANONICAL_SAFE)}" for name, value in pairs)
    url = f"https://api.mexc.com{PATH}?{query}&signature={quote(signature, safe='')}"
    paste = f"curl -X POST '{url}' -H 'X-MEXC-APIKEY: {KEY}' -H 'Content-Type: application/json'"
    diagnosis = diagnose(paste, SECRET)
    causes = set(diagnosis.causes)
    assert "signature_unexplained" not in causes, (chain, str(diagnosis))
    if diagnosis.client_signed is None:  # a chain that changed nothing: the bot signed the right string
        assert diagnosis.verdict == "ok", (chain, str(diagnosis))
        return
    assert diagnosis.client_signed == message, (chain, str(diagnosis))
    assert bool(causes & KEY_CAUSES) == (chain.get("secret") is not None), (chain, str(diagnosis))
    assert ("hmac_key_message_swapped" in causes) == bool(chain.get("hmac")), (chain, str(diagnosis))
    assert ("signature_base64" in causes) == (chain.get("form") == "base64"), (chain, str(diagnosis))
    assert ("signature_uppercase" in causes) == (chain.get("form") == "uppercase" and signature != signature.lower())
    assert SECRET not in str(diagnosis) + repr(diagnosis.to_dict())


def test_the_issues_node_bot_sorted_encodeuricomponent_and_recvwindow_after_signing():
    """The bot from the issue: three bugs at once, named one by one, each with the string it produced."""
    order = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "0.001"), ("price", "60000")]
    pairs = order + [("newClientOrderId", "my bot (1)"), ("timestamp", T), ("recvWindow", "5000")]
    message, signature = signed_by_bot(
        pairs, {"added": len(pairs) - 1, "order": True, "encoding": "encodeURIComponent"}
    )
    query = "&".join(f"{k}={ENCODE_URI_COMPONENT.encode(v)}" for k, v in pairs)
    url = f"https://api.mexc.com{PATH}?{query}&signature={signature}"
    diagnosis = diagnose(f"curl -X POST '{url}' -H 'X-MEXC-APIKEY: {KEY}' -H 'Content-Type: application/json'", SECRET)
    assert set(diagnosis.causes) == {"param_added_after_signing", "signed_order_differs", "encoding_unescaped"}
    assert diagnosis.client_signed == message and diagnosis.verdict == "fail"
    evidence = " ".join(finding.evidence for finding in diagnosis.findings)
    assert "recvWindow added after signing" in evidence and "encodeURIComponent" in evidence
    assert "my%20bot%20(1)" in evidence  # the string the encoding produced
    assert "server signs:" in str(diagnosis) and "newClientOrderId=my%20bot%20%281%29" in diagnosis.server_signed
