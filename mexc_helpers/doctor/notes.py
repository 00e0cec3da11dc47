"""What the doctor says about its own work: what it checked and what it could not, why the fixed request
looks the way it does, and which bytes of a re-serialized futures JSON body differ.

A diagnosis never claims more than was checked: without the secret the signature is not judged, without
the server time the time window is not, and without the headers neither the key header nor Content-Type.
"""

from __future__ import annotations

import json
import re

from ..protocol.request import ReceivedRequest

CONTENT_TYPE_WHY = (
    'Content-Type: application/json is there because MEXC answered 700013 "Invalid content Type." to spot '
    "POST/PUT/DELETE without it, body or not (observed since February 2024; docs/protocol.md#content-type). It is "
    "not signed: it does not change the signature"
)
FUTURES_CONTENT_TYPE_WHY = (
    "Content-Type: application/json is there because futures private calls require it (documented)"
)


def scope(
    received: ReceivedRequest, *, secret_given: bool, time_given: bool, why_unsigned: str | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(what was checked, what was not and why): ``why_unsigned`` is None when the signature was checked."""
    checked = ["where the signature sits", "each parameter sent once", "the timestamp's and recvWindow's form"]
    not_checked = []
    if why_unsigned is None:
        checked.append("the API key and the signature")
    else:
        not_checked.append(f"the signature ({why_unsigned})")
    if not secret_given and not (received.api == "futures" and received.method == "POST"):
        checked.append("the encoding sent")
    if time_given:
        checked.append("the time window against the server time")
    else:
        not_checked.append("the time window (no server time given)")
    if received.headers_given:
        checked.append("the headers")
    else:
        not_checked.append("the headers (the paste shows none)")
    return tuple(checked), tuple(not_checked)


def time_note(label: str, used: int | None, server_time: int | None) -> str:
    """Why the fixed request carries the time it carries, and that it must be signed again when sent."""
    if server_time is not None:
        origin = f"{label} {used} is the server time used for this diagnosis"
    elif used is not None:
        origin = f"{label} {used} is the one your request carried (no server time given), so it is not fresh"
    else:
        origin = f"{label} is this machine's clock at the time of the diagnosis"
    return f"{origin}: sign again at send time, from the server's clock (/api/v3/time), or it expires"


def fix_notes(fixed, received: ReceivedRequest, method_note: str | None, time: str) -> tuple[str, ...]:
    """The explanation printed under the fixed request: method, endpoint, time, and each header it adds."""
    notes = [] if method_note is None else [method_note]
    if received.path is None:
        path = fixed.url.split("://", 1)[-1].partition("/")[2].partition("?")[0]
        notes.append(f"the paste shows no endpoint: /{path} stands in for yours (the signature does not cover it)")
    notes.append(time)
    if fixed.headers.get("Content-Type") == "application/json":
        notes.append(CONTENT_TYPE_WHY if received.api == "spot" else FUTURES_CONTENT_TYPE_WHY)
    notes.append(language_note(received.api, fixed.method))
    return tuple(notes)


# The four requests every example in examples/<language>/ sends, each accepted by the local exchange in CI.
EXAMPLE_REQUESTS = {
    ("spot", "GET"): "1, a spot GET signed even without parameters",
    ("spot", "POST"): "2, a spot POST with a value that needs encoding",
    ("futures", "GET"): "3, a futures GET with its parameters sorted",
    ("futures", "POST"): "4, a futures POST signing the raw JSON body",
}
EXAMPLE_LANGUAGES = "JavaScript, Go, Java, PHP, C# and Shell"


def language_note(api: str, method: str) -> str:
    """Where the same kind of request is signed right in the language a bot is written in."""
    signs_like_get = method == "GET" or (api == "futures" and method == "DELETE")  # futures DELETE: sorted, as GET
    kind = "GET" if signs_like_get else "POST"
    return (
        f"fix in your language: examples/ in the kit's repository signs this kind of request (request "
        f"{EXAMPLE_REQUESTS[(api, kind)]}) in {EXAMPLE_LANGUAGES}"
    )


# Whitespace outside JSON strings: what json.dumps' separators (and requests' json=) change.
_SPACING = re.compile(r'("(?:\\.|[^"\\])*")|\s+')


def _spacing(text: str) -> list[str]:
    return [match.group(0) for match in _SPACING.finditer(text) if match.group(1) is None]


def json_difference(signed: str, sent: str) -> str:
    """How the JSON string signed differs from the body sent, for the same data: key order, spacing, escaping."""
    differences = []
    if json.loads(signed, object_pairs_hook=list) != json.loads(sent, object_pairs_hook=list):
        differences.append("key order")
    if _spacing(signed) != _spacing(sent):
        differences.append("spacing")
    if ("\\u" in signed) != ("\\u" in sent):
        differences.append("escaping of non-ASCII characters")
    return " and ".join(differences) or "how numbers or strings are written"


_HOW = {  # in Python, where a paste shows Python
    "key order": "a dict rebuilt or dumped with sort_keys=True changes the key order",
    "spacing": "json.dumps() without separators=(',', ':'), or requests' json=, adds spaces",
    "escaping of non-ASCII characters": "ensure_ascii writes é as \\u00e9",
}


def json_bytes_fix(signed: str, sent: str, language: str | None = None) -> str:
    """The fix for contract_json_bytes_differ, naming the actual difference (and, in Python, its usual call)."""
    difference = json_difference(signed, sent)
    how = "; ".join(text for name, text in _HOW.items() if name in difference) if language == "Python" else ""
    cause = f" ({how})" if how else ""
    send = " (data=body, not json=)" if language == "Python" and "spacing" in difference else ""
    return (
        f"The JSON you signed differs from the body sent in its {difference}{cause}: serialize the body once, "
        f"sign that string and send the same string{send}."
    )


# The fixes that name a call, in each language a paste can show; a paste in no known language gets the
# neutral fix of report.FIXES (so a Node.js trader is never told to use a Python call).
_IN_LANGUAGE = {
    "timestamp_in_seconds": {
        "Python": "int(time.time() * 1000)",
        "JavaScript": "Date.now()",
        "Go": "time.Now().UnixMilli()",
        "Java": "System.currentTimeMillis()",
        "PHP": "(int) round(microtime(true) * 1000)",
        "C#": "DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()",
        "Shell": "$(date +%s%3N)",
    },
    "hmac_key_message_swapped": {
        "Python": "hmac.new(secret.encode(), payload.encode(), hashlib.sha256)",
        "JavaScript": "createHmac('sha256', secret).update(payload)",
        "Go": "hmac.New(sha256.New, []byte(secret)), then Write([]byte(payload))",
        "Java": 'mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256")), then mac.doFinal(payload)',
        "PHP": "hash_hmac('sha256', $payload, $secret)",
        "C#": "new HMACSHA256(Encoding.UTF8.GetBytes(secret)).ComputeHash(Encoding.UTF8.GetBytes(payload))",
        "Shell": 'openssl dgst -sha256 -hmac "$secret" on the payload',
    },
    "signature_base64": {
        "Python": "hmac.new(...).hexdigest()",
        "JavaScript": "createHmac(...).digest('hex')",
        "Go": "hex.EncodeToString(mac.Sum(nil))",
        "Java": "HexFormat.of().formatHex(mac.doFinal(...))",
        "PHP": "hash_hmac('sha256', $payload, $secret) (hex by default; not base64_encode of the raw digest)",
        "C#": "Convert.ToHexString(hash).ToLowerInvariant()",
        "Shell": 'openssl dgst -sha256 -hmac "$secret" (hex), not -binary | base64',
    },
    "signature_uppercase": {
        "C#": "Convert.ToHexString(hash).ToLowerInvariant() (ToHexString writes uppercase)",
        "Java": 'HexFormat.of().formatHex(...) (lowercase), not String.format("%02X")',
    },
}


def fix_in_language(cause: str, neutral: str, language: str | None) -> str:
    """``neutral`` (report.FIXES), with the call to use in the paste's language where one is known."""
    call = _IN_LANGUAGE.get(cause, {}).get(language or "")
    return f"{neutral} In {language}: {call}." if call else neutral
