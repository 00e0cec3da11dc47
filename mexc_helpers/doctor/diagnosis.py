"""The request doctor: take a user's own failing request, prove what went wrong, and fix it.

It rebuilds what MEXC's server signs from the request as sent, then searches chains of known client
bugs (:mod:`.bugs`, :mod:`.search`) for one that reproduces the user's signature with their secret. A
match is proof, and is reported as such; no match is said to be no match (``signature_unexplained``),
never blamed on the secret. Without the secret it
still reports what can be seen: the timestamp against server time, recvWindow, the encoding of
what was sent, where the signature sits. The secret never appears in a diagnosis.
"""

from __future__ import annotations

from ..protocol import rules
from ..protocol.clock import MAX_FUTURES_WINDOW_S, MAX_RECV_WINDOW_MS, looks_like_seconds, parse_ms
from ..protocol.encoding import EncodingError, parse_query
from ..protocol.endpoints import FUTURES_BASE_URL, SPOT_BASE_URL
from ..protocol.errors import CODES
from ..protocol.request import ReceivedRequest, parse_json
from ..protocol.signing import SignedRequest, check_secret, futures_signed_string, sign_futures, sign_spot
from ..protocol.verify import verdicts_for
from . import notes
from .bugs import Shape
from .encoders import sent_encoding_causes
from .pasted import PastedRequest, UnusableInput
from .read import read_request, read_requests
from .report import FIXES, TIME_CAUSES, Diagnoses, Diagnosis, Finding
from .search import MAX_BUGS, search


def diagnose(
    request,
    secret: str | None = None,
    *,
    api_key: str | None = None,
    server_time: int | None = None,
    body: str | None = None,
) -> Diagnosis:
    """Diagnose a signed MEXC request (curl, URL, query string, dict or requests request).

    The request is judged by the exchange's own rules (:mod:`mexc_helpers.protocol.verify`), so
    the doctor and the local exchange cannot disagree. With ``secret``, the cause of a bad
    signature (spot 700002, futures 602) is proven by reproducing the user's signature;
    ``server_time`` (ms) lets it judge the timestamp window (700003/513). Raises
    :class:`UnusableInput` for input that is not a signed request.
    """
    secret, server_time = _checked_secret(secret), _checked_server_time(server_time)
    return _diagnose(read_request(request, body), secret, api_key, server_time)


def diagnose_all(
    text: str | bytes, secret: str | None = None, *, api_key: str | None = None, server_time: int | None = None
) -> Diagnoses:
    """Diagnose every request in ``text`` (a bot's ccxt log, a HAR, or any single request).

    Returns a :class:`Diagnoses`: one diagnosis per request, ``summary()`` of the causes, and
    ``to_frame()`` for a table. Raises :class:`UnusableInput` when no request in it can be read.
    """
    secret, server_time = _checked_secret(secret), _checked_server_time(server_time)
    return Diagnoses(_diagnose(pasted, secret, api_key, server_time) for pasted in read_requests(text))


def _checked_secret(secret):
    """The exchange holds the secret without surrounding whitespace; a padded copy is a finding, not the truth."""
    if secret is None:
        return None
    return check_secret(secret.strip() if isinstance(secret, str) else secret, "secret")


def _checked_server_time(server_time):
    """A server time is an int of milliseconds: seconds, a float or text would judge every window wrongly."""
    if server_time is not None and (type(server_time) is not int or looks_like_seconds(server_time)):
        raise UnusableInput(f"server_time must be an int of milliseconds, like 1700000000000, not {server_time!r}")
    return server_time


def _diagnose(pasted: PastedRequest, secret, api_key, server_time) -> Diagnosis:
    received = pasted.request
    secret_for = None if secret is None else (lambda _api_key: secret)
    verdicts = verdicts_for(received, secret_for=secret_for, server_time=server_time)
    findings = [
        _refusal_finding(verdict, pasted.language)
        for verdict in verdicts
        if verdict.cause not in ("ok", "signature_mismatch")
    ]
    server_string = _server_string(received, api_key)
    client_signed, why_unsigned = None, _why_unsigned(received, secret, api_key, server_string)
    if received.api == "futures" and not (received.api_key or api_key):
        evidence = "the ApiKey header was redacted or not given, and futures sign it: pass api_key= to check"
        findings.append(Finding("api_key_missing", evidence, FIXES["api_key_missing"], proven=False))
    elif why_unsigned is None:
        proof, client_signed = _signature_findings(received, secret, api_key, server_string, pasted.language)
        findings = proof + findings
    elif secret is None and not (received.api == "futures" and received.method == "POST"):
        findings += _sent_encoding_findings(_without_signature(_raw(received.query)))
    findings += [Finding("url_repaired", repair, FIXES["url_repaired"]) for repair in pasted.repairs]
    checked, not_checked = notes.scope(
        received, secret_given=secret is not None, time_given=server_time is not None, why_unsigned=why_unsigned
    )
    diagnosis = Diagnosis(
        received.api,
        _order(findings),
        server_string or "",
        why_unsigned is None,
        code=verdicts[0].code,
        request_line=f"{received.method} {received.path or ''}".strip(),
        answer_code=pasted.answer_code,
        client_signed=client_signed,
        notes=tuple(note for note in (pasted.method_note, *_layout_notes(received)) if note),
        checked=checked,
        not_checked=not_checked,
    )
    if secret is not None:
        diagnosis.fixed_request, diagnosis.fix_notes = _fixed(pasted, received, secret, api_key, server_time)
    return diagnosis


def _refusal_finding(verdict, language: str | None) -> Finding:
    """One rule the exchange refuses the request by: a finding where MEXC documents the rule or was seen to
    enforce it, a risk (not proven) where the rule is the kit's inference."""
    rule = verdict.rule
    fix = notes.fix_in_language(verdict.cause, FIXES.get(verdict.cause) or CODES[verdict.code].fix, language)
    evidence = verdict.reason
    if not rule.proven_by_refusal:
        evidence += (
            f"; inferred: MEXC does not document what it answers here (the local exchange answers {verdict.code}, "
            f"{rule.link}), so this is a risk: use the safe form"
        )
    return Finding(verdict.cause, evidence, fix, rule.proven_by_refusal, rule.label, rule.link)


def _layout_notes(received: ReceivedRequest) -> list[str]:
    """What is unusual but allowed in where the request puts its parameters (documented, so never a cause)."""
    if received.api != "spot":
        return []
    notes = []
    try:
        place, both = received.signature_place, received.in_query_and_body
    except EncodingError:
        return []
    if place == "form":
        notes.append(
            "the signature is in the form body: MEXC's docs allow that (docs/protocol.md#spot-signature); "
            "the query string is the place every client and source agrees on"
        )
    if both:
        notes.append(
            f"{', '.join(both)} sent in both the query and the body: MEXC uses the query's value and signs both "
            "(docs/protocol.md#duplicate-parameters); send each once"
        )
    return notes


def _why_unsigned(received: ReceivedRequest, secret, api_key, server_string) -> str | None:
    """Why the signature cannot be checked, or None when it can."""
    if secret is None:
        return "no secret given"
    if received.api == "futures" and not (received.api_key or api_key):
        return "no API key given, and futures sign it"
    if not received.signature:
        return "none was sent"
    if server_string is None:
        return "the parameters do not decode"
    if received.api == "spot" and received.signature_place == "json":
        return "it is inside the JSON body, where MEXC does not say how it is signed"
    return None


def _raw(text: str | bytes) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else text


def _server_string(received: ReceivedRequest, api_key: str | None) -> str | None:
    """What the server signs for this request, or None when its parameters do not decode."""
    try:
        if received.api == "futures":
            return _futures_prefix(received, api_key) + received.futures_param_string
        return received.spot_signed_string
    except EncodingError:
        return None


def _futures_prefix(received: ReceivedRequest, api_key: str | None) -> str:
    """What a futures signed string starts with: accessKey + Request-Time."""
    return futures_signed_string(received.api_key or api_key or "", received.timestamp_text or "", "")


def _signature_findings(received: ReceivedRequest, secret: str, api_key, server_string, language):
    """(findings, the string the signature was proven to be made from, or None)."""
    prefix = _futures_prefix(received, api_key) if received.api == "futures" else ""
    match = search(Shape.of(received, prefix), secret, received.signature, language)
    if match is None:
        evidence = (
            f"no chain of up to {MAX_BUGS} known client bugs (parameter order, a parameter added after signing, "
            "value encoding, query and body joined, a stray '&', '?' or newline, method and path signed, the "
            "secret padded or quoted, HMAC key and message swapped, uppercase or base64 digest) reproduces this "
            "signature with the secret given: the secret may not belong to this API key, or the client has a "
            "bug outside the doctor's catalogue"
        )
        return [Finding("signature_unexplained", evidence, FIXES["signature_unexplained"], proven=False)], None
    findings = []
    for bug, produced in match.steps:
        if bug.family == "order":
            evidence = _order_signed(produced, server_string, prefix)
        elif bug.family in ("secret", "hmac"):
            evidence = f"{bug.detail}: your signature is that HMAC of {produced!r}"
        elif bug.family == "form":
            evidence = bug.detail
        elif bug.family == "encoding" and match.same_bytes:
            calls = ", ".join(
                f"{other.encoder.call} ({other.encoder.language or 'any language'})"
                for other in (bug, *match.same_bytes)
            )
            evidence = (
                f"encoded as any of {calls} encode it, which signs {produced!r}; the server signs {server_string!r}"
            )
        else:
            evidence = f"{bug.detail}, which signs {produced!r}; the server signs {server_string!r}"
        fixing = (
            bug if not (bug.family == "encoding" and match.same_bytes and bug.encoder.language != language) else None
        )
        findings += [_bug_finding(cause, evidence, _fix(cause, fixing, received, language)) for cause in bug.causes]
    return findings, match.signed


def _bug_finding(cause: str, evidence: str, fix: str) -> Finding:
    """A client bug proven by a reproduced signature; a risk where MEXC's refusal of that string is inferred."""
    rule = rules.bug(cause)
    if not rule.proven_by_refusal:
        evidence += f"; whether MEXC refuses that is inferred ({rule.link}): use the safe form"
    return Finding(cause, evidence, fix, rule.proven_by_refusal, rule.label, rule.link)


def _fix(cause: str, bug, received: ReceivedRequest, language: str | None) -> str:
    """The fix for a proven cause, in the paste's language where it shows one: for an encoding, the right call
    in the language of the call that made the bug; for a re-serialized futures body, what differs."""
    if bug is not None and bug.encoder is not None:
        return f"{bug.encoder.call} is not MEXC's encoding: {bug.encoder.fix}."
    if cause == "contract_json_bytes_differ":
        return notes.json_bytes_fix(bug.value, received.body_text, language)
    return notes.fix_in_language(cause, FIXES[cause], language)


def _order_signed(signed: str, server: str, prefix: str) -> str:
    """The parameter names in the order the client signed them, next to the order the server signs them."""

    def names(text: str) -> str:
        return ", ".join(piece.partition("=")[0] for piece in text.removeprefix(prefix).split("&") if "=" in piece)

    return f"signed in the order {names(signed)}; the server signs {names(server)}"


def _sent_encoding_findings(raw: str) -> list[Finding]:
    return [
        Finding(
            cause,
            "what was sent is not in the canonical form; it breaks the signature if the client "
            "signed it that way (give the secret to prove it)",
            FIXES[cause],
            proven=False,
        )
        for cause in sent_encoding_causes(raw)
    ]


def _without_signature(raw: str) -> str:
    return "&".join(piece for piece in raw.split("&") if piece and not piece.startswith("signature="))


def _order(findings: list[Finding]) -> list[Finding]:
    """Most certain first: proven signature causes, then other proven findings, then possibilities; no repeats."""
    seen, ordered = set(), []
    for finding in sorted(findings, key=lambda f: (not f.proven, f.cause in TIME_CAUSES)):
        if finding.cause not in seen:
            seen.add(finding.cause)
            ordered.append(finding)
    return ordered


def _fresh_time(received: ReceivedRequest, server_time: int | None) -> int | None:
    """The timestamp for the fixed request: the server time, else the one sent (in ms), else now."""
    if server_time is not None:
        return server_time
    sent = parse_ms(received.timestamp_text)
    if sent is None:
        return None
    return sent * 1000 if looks_like_seconds(sent) else sent


def _fixed(pasted: PastedRequest, received: ReceivedRequest, secret, api_key, server_time):
    """The same request, correctly signed, and why it looks as it does: (None, ()) if it cannot be rebuilt."""
    try:
        time = _fresh_time(received, server_time)
        if received.api == "futures":
            fixed = _fixed_futures(pasted, received, secret, api_key, time)
        else:
            fixed = _fixed_spot(pasted, received, secret, api_key, time)
    except (EncodingError, ValueError):  # parameters that do not decode, or a body that is not JSON
        return None, ()
    if fixed is None:
        return None, ()
    label = "Request-Time" if received.api == "futures" else "timestamp"
    why_time = notes.time_note(label, time, server_time)
    return fixed, notes.fix_notes(fixed, received, pasted.method_note, why_time)


def _fixed_spot(pasted, received, secret, api_key, time) -> SignedRequest:
    params = received.params  # every parameter in the query, the safe form (docs/protocol.md#spot-signed-string)
    window = parse_ms(params.pop("recvWindow", None))
    params.pop("timestamp", None)
    # The spot key is not part of what is signed, so a placeholder still gives a correct, usable fix.
    return sign_spot(
        received.method if received.method in ("GET", "POST", "PUT", "DELETE") else "GET",
        received.path or "/api/v3/order",
        params,
        api_key=api_key or received.api_key or received.header("ApiKey") or "YOUR_API_KEY",
        secret=secret,
        timestamp=time,
        recv_window=None if window is None else min(window, MAX_RECV_WINDOW_MS),
        base_url=pasted.base_url or SPOT_BASE_URL,
    )


def _fixed_futures(pasted, received, secret, api_key, time) -> SignedRequest | None:
    key = api_key or received.api_key
    if not key:
        return None
    window = parse_ms(received.recv_window_text)
    if received.method == "POST":
        try:
            parse_json(received.body_text)
            payload = received.body_text
        except ValueError:  # a form body where JSON belongs: send the same fields as JSON
            payload = dict(parse_query(received.body_text))
    else:
        payload = dict(received.query_pairs)
    return sign_futures(
        received.method if received.method in ("GET", "POST", "DELETE") else "GET",
        received.path or "/api/v1/private",
        payload,
        api_key=key,
        secret=secret,
        request_time=time,
        recv_window=window if window is not None and 0 < window <= MAX_FUTURES_WINDOW_S else None,
        base_url=pasted.base_url or FUTURES_BASE_URL,
    )


__all__ = ["Diagnoses", "Diagnosis", "Finding", "UnusableInput", "diagnose", "diagnose_all", "FIXES"]
