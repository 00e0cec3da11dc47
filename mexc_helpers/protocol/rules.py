"""How sure the kit is of each rule: the evidence label of every refusal and every proven client bug.

MEXC documents some rules, public reports show others, and the kit infers the rest
(docs/protocol.md says which, with sources for and against in "Where the sources disagree"). The
local exchange enforces all of them, but only where MEXC documents nothing to the contrary; the
doctor reports a documented or observed rule as a finding and an inferred one as a risk, never as
a proven failure. This module is the one place that says which is which.

A label is ``documented`` (MEXC's API docs say so), ``observed`` (a public report or an official
demo's fix shows the server doing it) or ``inferred`` (the kit's reasoning, or its choice where MEXC
leaves the behaviour open).
"""

from __future__ import annotations

from typing import NamedTuple

LABELS = ("documented", "observed", "inferred")


class Rule(NamedTuple):
    """Where a rule is written up (an anchor of docs/protocol.md) and how sure the kit is of it.

    For a refusal the label says how sure the kit is that MEXC refuses such a request at all; which
    code it answers is often the kit's reading (docs/protocol.md says so rule by rule).
    """

    anchor: str
    label: str

    @property
    def link(self) -> str:
        return f"docs/protocol.md#{self.anchor}"

    @property
    def proven_by_refusal(self) -> bool:
        """True when breaking the rule is a certain refusal: the rule is documented or observed."""
        return self.label != "inferred"


# The exchange's refusals, by the API and the verdict's cause (protocol/verify.py).
_SPOT_REFUSALS = {
    "futures_signing_on_spot": Rule("spot-signature", "observed"),  # ccxt PR 18087: 700004
    "api_key_missing": Rule("spot-api-key", "documented"),
    "api_key_malformed": Rule("spot-api-key", "documented"),  # no such key; its code (700001) is the kit's reading
    "api_key_unknown": Rule("spot-api-key", "documented"),
    "content_type_missing": Rule("content-type", "observed"),  # 700013 since February 2024
    "encoding_unescaped": Rule("canonical-encoding", "inferred"),  # a bad % escape: 700008 is the kit's mapping
    "param_sent_twice": Rule("duplicate-parameters", "inferred"),  # twice in the query, or twice in a form body
    "signature_missing": Rule("spot-signature", "observed"),
    "signature_in_json_body": Rule("spot-json-body", "inferred"),
    "recv_window_invalid": Rule("recv-window", "inferred"),
    "recv_window_too_large": Rule("recv-window", "documented"),
    "timestamp_missing": Rule("spot-time-window", "documented"),
    "timestamp_in_seconds": Rule("timestamp-milliseconds", "documented"),
    "timestamp_ahead": Rule("spot-time-window", "documented"),
    "timestamp_expired": Rule("spot-time-window", "documented"),
    "signature_uppercase": Rule("spot-signature", "documented"),
    "signature_mismatch": Rule("spot-signed-string", "documented"),
}
_FUTURES_REFUSALS = {
    "api_key_missing": Rule("futures-signed-string", "documented"),
    "api_key_malformed": Rule("futures-signed-string", "documented"),
    "api_key_unknown": Rule("futures-signed-string", "documented"),
    "signature_missing": Rule("futures-signed-string", "documented"),
    "timestamp_missing": Rule("futures-time-window", "documented"),
    "recv_window_invalid": Rule("futures-time-window", "inferred"),
    "recv_window_too_large": Rule("futures-time-window", "inferred"),  # above 60 s: MEXC's answer is unknown
    "timestamp_in_seconds": Rule("timestamp-milliseconds", "documented"),
    "timestamp_ahead": Rule("futures-time-window", "documented"),
    "timestamp_expired": Rule("futures-time-window", "documented"),
    "body_not_json": Rule("futures-post-raw-json", "documented"),
    "encoding_unescaped": Rule("canonical-encoding", "inferred"),
    "param_sent_twice": Rule("duplicate-parameters", "inferred"),
    "signature_uppercase": Rule("futures-signed-string", "documented"),
    "signature_mismatch": Rule("futures-signed-string", "documented"),
}
REFUSALS = {"spot": _SPOT_REFUSALS, "futures": _FUTURES_REFUSALS}

# The client bugs the doctor proves by reproducing a signature: the bug is proven by the match; that
# MEXC refuses the string it produced rests on the rule below.
BUGS = {
    "signed_order_differs": Rule("spot-parameter-order", "documented"),
    "param_added_after_signing": Rule("spot-signed-string", "documented"),
    "encoding_plus_for_space": Rule("canonical-encoding", "observed"),
    "encoding_lowercase_hex": Rule("canonical-encoding", "documented"),
    "encoding_unescaped": Rule("canonical-encoding", "observed"),
    "encoding_over_escaped": Rule("canonical-encoding", "inferred"),  # whether MEXC keeps ~ raw is undocumented
    "json_body_signed": Rule("spot-json-body", "documented"),  # the body alone signed, not query + body
    "body_joined_with_ampersand": Rule("spot-signed-string", "documented"),
    "join_malformed": Rule("spot-signed-string", "observed"),
    "signature_uppercase": Rule("spot-signature", "documented"),
    "secret_whitespace": Rule("spot-signature", "documented"),
    "secret_quoted": Rule("spot-signature", "documented"),
    "hmac_key_message_swapped": Rule("spot-signature", "documented"),
    "signature_base64": Rule("spot-signature", "documented"),
    "newline_signed": Rule("spot-signed-string", "documented"),
    "method_path_signed": Rule("spot-signed-string", "documented"),
    "contract_unsorted": Rule("futures-get-sorted", "documented"),
    "contract_post_not_raw_json": Rule("futures-post-raw-json", "documented"),
    "contract_json_bytes_differ": Rule("futures-post-raw-json", "documented"),
}


def refusal(api: str, cause: str) -> Rule:
    """The rule behind one of the exchange's refusals (``api`` is ``spot`` or ``futures``)."""
    return REFUSALS[api][cause]


def bug(cause: str) -> Rule:
    """The rule a proven client bug breaks."""
    return BUGS[cause]
