"""The request doctor: take a user's own failing request, prove what went wrong, and fix it.

It rebuilds what MEXC's server signs from the request as sent, then builds the strings that known
client bugs sign instead (:mod:`mexc_helpers.recipes`) and checks which one reproduces the user's
signature with their secret. A match is proof, and is reported as such. Without the secret it
still reports what can be seen: the timestamp against server time, recvWindow, the encoding of
what was sent, where the signature sits. The secret never appears in a diagnosis.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

from . import recipes
from .clock import (
    DEFAULT_CONTRACT_WINDOW_S,
    DEFAULT_RECV_WINDOW_MS,
    MAX_RECV_WINDOW_MS,
    contract_time_verdict,
    timestamp_verdict,
)
from .digest import hmac_sha256_hex
from .encoding import EncodingError
from .requestparse import ParsedRequest, UnusableInput, parse_request
from .signing import CONTRACT_BASE_URL, SPOT_BASE_URL, SignedRequest, check_secret, sign_contract, sign_spot

FIXES = {
    "ok": "Nothing to fix.",
    "signed_order_differs": "Sign the query exactly as you send it, in the same order (spot does not need sorting).",
    "param_added_after_signing": "Add every parameter before signing, and sign the same set you send.",
    "encoding_plus_for_space": "Encode a space as %20 before signing (not '+'): use quote(), not quote_plus().",
    "encoding_lowercase_hex": "Use uppercase hex escapes (%2C, not %2c) in what you sign.",
    "encoding_unescaped": "Percent-encode values (UTF-8, uppercase hex) before signing: ( is %28, , is %2C.",
    "json_body_signed": "Spot signs the query string: put the parameters in the query and sign that, not a JSON body.",
    "body_joined_with_ampersand": "Concatenate query and body with nothing between: ...type=LIMITquantity=1...",
    "signature_in_body": "Send the signature in the query string (&signature=...), also for POST.",
    "signature_uppercase": "Send the hex digest in lowercase.",
    "secret_whitespace": "Strip the secret: it has a trailing newline or space from copy-paste.",
    "wrong_secret": "Check that the secret belongs to this API key (copy both again from MEXC's API page).",
    "timestamp_ahead": "Your clock runs ahead: sync it (NTP) or offset timestamps by the server time (/api/v3/time).",
    "timestamp_expired": "Sign just before sending, sync your clock, or (within 60000 ms) raise recvWindow.",
    "timestamp_in_seconds": "Send milliseconds: int(time.time() * 1000).",
    "timestamp_missing": "Add timestamp=<milliseconds> to every signed request.",
    "recv_window_too_large": "Use a recvWindow of at most 60000 ms (Recv-Window at most 60 s for futures).",
    "contract_unsorted": "Sign futures GET/DELETE parameters sorted by name.",
    "contract_post_not_raw_json": "Sign the raw JSON body of a futures POST, not k=v pairs.",
    "contract_json_bytes_differ": "Serialize the JSON once; sign and send that same string (data=body, not json=).",
}
_TIME_CAUSES = ("timestamp_ahead", "timestamp_expired", "timestamp_in_seconds", "timestamp_missing")
SECONDS_LIMIT = 100_000_000_000  # below this a "millisecond" timestamp is before 1973: seconds


@dataclass(frozen=True)
class Finding:
    """One cause, the evidence for it, the fix, and whether the evidence is proof."""

    cause: str
    evidence: str
    fix: str
    proven: bool = True

    def to_dict(self) -> dict:
        return {"cause": self.cause, "evidence": self.evidence, "fix": self.fix, "proven": self.proven}


@dataclass(repr=False)
class Diagnosis:
    """What the doctor found: a verdict, the findings (most certain first) and the fixed request."""

    api: str
    findings: list[Finding] = field(default_factory=list)
    server_signed: str = ""
    signature_checked: bool = False
    fixed_request: SignedRequest | None = None

    @property
    def verdict(self) -> str:
        return "fail" if self.findings else "ok"

    @property
    def causes(self) -> list[str]:
        return [finding.cause for finding in self.findings] or ["ok"]

    def __repr__(self) -> str:
        return f"<Diagnosis {self.verdict}: {', '.join(self.causes)}>"

    def to_dict(self) -> dict:
        """The CLI's JSON: verdict, causes, findings (cause, evidence, fix, proven), signature_checked."""
        return {
            "verdict": self.verdict,
            "causes": self.causes,
            "findings": [f.to_dict() for f in self.findings],
            "signature_checked": self.signature_checked,
        }

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([f.to_dict() for f in self.findings], columns=["cause", "evidence", "fix", "proven"])

    def __str__(self) -> str:
        if not self.findings:
            checked = "signature verified" if self.signature_checked else "signature not checked (no secret given)"
            lines = [f"ok: the {self.api} request would be accepted ({checked})"]
        else:
            lines = [f"fail: {', '.join(self.causes)}"]
            for finding in self.findings:
                proof = "proven" if finding.proven else "possible"
                lines += [f"- {finding.cause} ({proof}): {finding.evidence}", f"  fix: {finding.fix}"]
        if self.fixed_request is not None:
            lines += ["fixed request:", "  " + self.fixed_request.to_curl()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        color = "#1a7f37" if self.verdict == "ok" else "#cf222e"
        rows = "".join(
            f"<tr><td><code>{f.cause}</code></td><td>{'proven' if f.proven else 'possible'}</td>"
            f"<td>{html.escape(f.evidence)}</td><td>{html.escape(f.fix)}</td></tr>"
            for f in self.findings
        )
        table = f"<table><tr><th>cause</th><th></th><th>evidence</th><th>fix</th></tr>{rows}</table>" if rows else ""
        fixed = (
            f"<p>Fixed request:</p><pre>{html.escape(self.fixed_request.to_curl())}</pre>"
            if self.fixed_request is not None
            else ""
        )
        return f"<div><b style='color:{color}'>{html.escape(str(self).splitlines()[0])}</b>{table}{fixed}</div>"


def diagnose(
    request,
    secret: str | None = None,
    *,
    api_key: str | None = None,
    server_time: int | None = None,
    body: str | None = None,
) -> Diagnosis:
    """Diagnose a signed MEXC request (curl, URL, query string, dict or requests request).

    With ``secret``, the cause of a bad signature (spot 700002, futures 602) is proven by
    reproducing the user's signature. ``server_time`` (ms) lets it judge the timestamp window
    (700003/513). Raises :class:`UnusableInput` for input that is not a signed request.
    """
    if secret is not None:
        # The exchange holds the secret without surrounding whitespace; a padded copy is a finding, not the truth.
        secret = check_secret(secret.strip() if isinstance(secret, str) else secret, "secret")
    parsed = parse_request(request, body)
    if parsed.api == "futures":
        return _diagnose_futures(parsed, secret, api_key, server_time)
    return _diagnose_spot(parsed, secret, api_key, server_time)


def _prove(candidates, secret: str, signature: str):
    """The first candidate whose HMAC is the signature sent (compared in lowercase), or None."""
    wanted = signature.lower()
    for candidate in candidates:
        key = f"{candidate.secret_prefix}{secret}{candidate.secret_suffix}"
        if hmac_sha256_hex(key, candidate.signed_string) == wanted:
            return candidate
    return None


def _signature_findings(candidates, secret, signature, server_string) -> tuple[list[Finding], bool]:
    findings = []
    if signature != signature.lower():
        findings.append(
            Finding(
                "signature_uppercase",
                "the signature has uppercase hex digits; MEXC compares lowercase only",
                FIXES["signature_uppercase"],
            )
        )
    if secret is None:
        return findings, False
    match = _prove(candidates, secret, signature)
    if match is None:
        return findings + [
            Finding(
                "wrong_secret",
                "no known client bug reproduces this signature with the secret "
                "given: it was made with another secret (or for other bytes)",
                FIXES["wrong_secret"],
                proven=False,  # by elimination, not by a match
            )
        ], True
    proven = [c for c in match.causes if c != "ok"]
    evidence = (
        f"your signature is the HMAC of {match.signed_string!r}; the server signs {server_string!r}"
        if match.signed_string != server_string
        else "your signature is the HMAC of the right string, but with the secret changed (whitespace added)"
    )
    findings = [Finding(cause, evidence, FIXES[cause]) for cause in proven] + findings
    return findings, True


def _time_findings(timestamp: str | None, server_time: int | None, window: int, futures: bool) -> list[Finding]:
    if not timestamp:
        what = "Request-Time header" if futures else "timestamp parameter"
        return [Finding("timestamp_missing", f"no {what}", FIXES["timestamp_missing"])]
    if not timestamp.isdigit():
        return [
            Finding("timestamp_missing", f"the timestamp {timestamp!r} is not milliseconds", FIXES["timestamp_missing"])
        ]
    value = int(timestamp)
    findings = []
    if value < SECONDS_LIMIT:
        findings.append(
            Finding(
                "timestamp_in_seconds",
                f"timestamp {value} has {len(timestamp)} digits: seconds, not milliseconds",
                FIXES["timestamp_in_seconds"],
            )
        )
    if server_time is not None:
        verdict = (
            contract_time_verdict(value, server_time, window)
            if futures
            else timestamp_verdict(value, server_time, window)
        )
        if not verdict.accepted:
            offset = value - server_time
            limit = (
                f"Recv-Window {window} s"
                if futures
                else ("1000 ms" if verdict.reason == "ahead" else f"recvWindow {window} ms")
            )
            side = "ahead of" if offset > 0 else "behind"
            cause = "timestamp_ahead" if verdict.reason == "ahead" else "timestamp_expired"
            if not findings:
                findings.append(
                    Finding(
                        cause,
                        f"timestamp is {abs(offset)} ms {side} server time {server_time} (limit {limit})",
                        FIXES[cause],
                    )
                )
    return findings


def _sent_encoding_findings(raw: str) -> list[Finding]:
    return [
        Finding(
            cause,
            "what was sent is not in the canonical form; it breaks the signature if the client "
            "signed it that way (give the secret to prove it)",
            FIXES[cause],
            proven=False,
        )
        for cause in recipes.sent_encoding_causes(raw)
    ]


def _order(findings: list[Finding]) -> list[Finding]:
    """Most certain first: proven signature causes, then other proven findings, then possibilities; no repeats."""
    seen, ordered = set(), []
    for finding in sorted(findings, key=lambda f: (not f.proven, f.cause in _TIME_CAUSES)):
        if finding.cause not in seen:
            seen.add(finding.cause)
            ordered.append(finding)
    return ordered


def _diagnose_spot(parsed: ParsedRequest, secret, api_key, server_time) -> Diagnosis:
    try:
        pairs = [(k, v) for k, v in parsed.query_pairs() if k != "signature"]
        body_pairs = [(k, v) for k, v in parsed.body_pairs() if k != "signature"]
    except EncodingError as error:
        return Diagnosis(
            "spot",
            [
                Finding(
                    "encoding_unescaped",
                    f"the query does not decode ({error}); MEXC answers 700008",
                    FIXES["encoding_unescaped"],
                )
            ],
        )
    params = dict(pairs + body_pairs)
    findings = []
    if "signature" not in dict(parsed.query_pairs()):
        findings.append(
            Finding(
                "signature_in_body",
                "the signature is in the body; MEXC reads it from the query only (700004)",
                FIXES["signature_in_body"],
            )
        )
    recv_window = params.get("recvWindow", str(DEFAULT_RECV_WINDOW_MS))
    if recv_window.isdigit() and int(recv_window) > MAX_RECV_WINDOW_MS:
        findings.append(
            Finding(
                "recv_window_too_large",
                f"recvWindow {recv_window} is above 60000 (700005)",
                FIXES["recv_window_too_large"],
            )
        )
        recv_window = str(MAX_RECV_WINDOW_MS)
    window = int(recv_window) if recv_window.isdigit() else DEFAULT_RECV_WINDOW_MS
    findings += _time_findings(params.get("timestamp"), server_time, window, futures=False)
    json_body = parsed.body if parsed.body_is_json else None
    server_string = recipes.canonical_query(pairs) + recipes.canonical_query(body_pairs)
    candidates = recipes.spot_candidates(pairs, body_pairs, parsed.query, "" if json_body else parsed.body, json_body)
    signature_findings, checked = _signature_findings(candidates, secret, parsed.signature, server_string)
    findings = signature_findings + findings
    if secret is None:
        findings += _sent_encoding_findings(recipes._without_signature(parsed.query))
    diagnosis = Diagnosis("spot", _order(findings), server_string, checked)
    if secret is not None:
        # The spot key is not part of what is signed, so a placeholder still gives a correct, usable fix.
        key = api_key or parsed.api_key or "YOUR_API_KEY"
        diagnosis.fixed_request = _fixed_spot(parsed, pairs + body_pairs, json_body, key, secret, server_time, window)
    return diagnosis


def _fixed_spot(parsed, pairs, json_body, api_key, secret, server_time, window) -> SignedRequest:
    params = [(k, v) for k, v in pairs if k not in ("timestamp", "recvWindow")]
    if json_body:
        try:
            decoded = json.loads(json_body)
        except ValueError:
            decoded = {}
        if isinstance(decoded, dict):
            params += [(str(k), v) for k, v in decoded.items() if k not in ("signature", "timestamp", "recvWindow")]
    timestamp = dict(pairs).get("timestamp", "")
    fresh = server_time if server_time is not None else (int(timestamp) if timestamp.isdigit() else None)
    if fresh is not None and fresh < SECONDS_LIMIT:
        fresh *= 1000
    return sign_spot(
        parsed.method if parsed.method in ("GET", "POST", "PUT", "DELETE") else "GET",
        parsed.path or "/api/v3/order",
        params,
        api_key=api_key,
        secret=secret,
        timestamp=fresh,
        recv_window=window if "recvWindow" in dict(pairs) else None,
        base_url=parsed.base_url or SPOT_BASE_URL,
    )


def _diagnose_futures(parsed: ParsedRequest, secret, api_key, server_time) -> Diagnosis:
    key = parsed.api_key or api_key or ""
    request_time = parsed.header("Request-Time") or ""
    window_header = parsed.header("Recv-Window") or str(DEFAULT_CONTRACT_WINDOW_S)
    findings = []
    window = int(window_header) if window_header.isdigit() else DEFAULT_CONTRACT_WINDOW_S
    if window > 60:
        findings.append(
            Finding("recv_window_too_large", f"Recv-Window {window} s is above 60 s", FIXES["recv_window_too_large"])
        )
        window = 60
    findings += _time_findings(request_time, server_time, window, futures=True)
    prefix = f"{key}{request_time}"
    if parsed.method == "POST":
        server_string = prefix + parsed.body
        candidates = recipes.contract_post_candidates(prefix, parsed.body)
        pairs = []
    else:
        try:
            pairs = parsed.query_pairs()
        except EncodingError as error:
            return Diagnosis(
                "futures",
                [Finding("encoding_unescaped", f"the query does not decode ({error})", FIXES["encoding_unescaped"])],
            )
        server_string = prefix + recipes.canonical_query(sorted(pairs))
        candidates = recipes.contract_get_candidates(prefix, pairs, parsed.query)
    signature_findings, checked = _signature_findings(candidates, secret, parsed.signature, server_string)
    findings = signature_findings + findings
    if secret is None and parsed.method != "POST":
        findings += _sent_encoding_findings(parsed.query)
    diagnosis = Diagnosis("futures", _order(findings), server_string, checked)
    if secret is not None and key:
        fresh = server_time if server_time is not None else (int(request_time) if request_time.isdigit() else None)
        if fresh is not None and fresh < SECONDS_LIMIT:
            fresh *= 1000
        payload = parsed.body if parsed.method == "POST" else pairs
        diagnosis.fixed_request = sign_contract(
            parsed.method if parsed.method in ("GET", "POST", "DELETE") else "GET",
            parsed.path or "/api/v1/private",
            payload,
            api_key=key,
            secret=secret,
            request_time=fresh,
            base_url=parsed.base_url or CONTRACT_BASE_URL,
        )
    return diagnosis


__all__ = ["Diagnosis", "Finding", "UnusableInput", "diagnose", "FIXES"]
