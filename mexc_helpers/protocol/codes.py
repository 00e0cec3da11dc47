"""MEXC's error codes, one entry each: message, HTTP status, API, kind, meaning, usual reasons, fix.

The data behind :mod:`mexc_helpers.protocol.errors` (sources: docs/protocol.md#error-codes).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

# Short names for table columns and badges (ErrorInfo.label); other codes show code and message.
LABELS = {
    700002: "bad signature",
    700003: "timestamp window",
    700004: "signature missing",
    700005: "recvWindow too large",
    700008: "illegal characters",
    602: "futures signature",
    513: "futures time",
}

# What an error code says about a request: the key (auth), the signed string or where the signature
# sits (signature), the clock or the window (time), the order or account itself after the signature
# was accepted (business), or only the kit's local exchange answers it (local).
KINDS = ("auth", "signature", "time", "business", "local")


@dataclass(frozen=True)
class ErrorInfo:
    """One documented error code and what the kit teaches about it."""

    code: int
    message: str
    http_status: int
    api: str  # "spot", "futures", or "local" (only the kit's local exchange answers it)
    kind: str  # one of KINDS: which part of the request the exchange refused
    meaning: str
    reasons: tuple[str, ...]
    fix: str
    note: str = ""

    @property
    def label(self) -> str:
        """A short name for a table column or a badge: the kit's name for the common ones, else code and message."""
        return LABELS.get(self.code) or f"{self.code} {self.message}"

    def __str__(self) -> str:
        lines = [
            f'{self.code} ({self.api}, {self.kind}, HTTP {self.http_status}) "{self.message}"',
            f"Meaning: {self.meaning}",
        ]
        lines += ["Usual reasons:"] + [f"  - {reason}" for reason in self.reasons]
        lines.append(f"Fix: {self.fix}")
        if self.note:
            lines.append(f"Note: {self.note}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        reasons = "".join(f"<li>{html.escape(reason)}</li>" for reason in self.reasons)
        note = f"<p><b>Note:</b> {html.escape(self.note)}</p>" if self.note else ""
        return (
            f"<div><b>{self.code}</b> ({self.api}, HTTP {self.http_status}) <code>{html.escape(self.message)}</code>"
            f"<p><b>Meaning:</b> {html.escape(self.meaning)}</p><b>Usual reasons:</b><ul>{reasons}</ul>"
            f"<p><b>Fix:</b> {html.escape(self.fix)}</p>{note}</div>"
        )


def _entry(code, message, http_status, api, kind, meaning, reasons, fix, note=""):
    return code, ErrorInfo(code, message, http_status, api, kind, meaning, tuple(reasons), fix, note)


_SIGNED_STRING_REASONS = (
    "value encoding: '+' for a space, lowercase '%2c', unencoded '(' ')' or non-ASCII characters",
    "signed one parameter order but sent another (e.g. signed sorted, sent unsorted)",
    "a parameter added, removed or changed after signing (or a None value sent as 'None')",
    "wrong secret, another account's secret, or a secret with a trailing newline or space",
    "the hex digest sent in uppercase",
)

CODES: dict[int, ErrorInfo] = dict(
    [
        _entry(
            400,
            "api key required",
            400,
            "spot",
            "auth",
            "The X-MEXC-APIKEY header is missing from a signed request.",
            ["the header name is misspelled, or the key was put in the query instead"],
            "Send the Access Key in the header X-MEXC-APIKEY.",
        ),
        _entry(
            10072,
            "Api key info invalid",
            400,
            "spot",
            "auth",
            "The server does not know this API key.",
            ["a typo or whitespace in the key", "a deleted key", "the key of another exchange or of the testnet"],
            "Copy the Access Key again from MEXC's API management page; strip whitespace.",
        ),
        _entry(
            10101,
            "Insufficient balance",
            400,
            "spot",
            "business",
            "The account cannot pay for the order.",
            ["the order is larger than the free balance"],
            "Lower the quantity or deposit funds.",
        ),
        _entry(
            10211,
            "transfer is forbidden",
            400,
            "spot",
            "business",
            "A withdrawal or transfer is not allowed for this account or asset right now. It is not a signature error.",
            ["withdrawals disabled on the key or the account", "a risk-control hold on the asset"],
            "Check the key's withdrawal permission and the account's withdrawal status on MEXC.",
            'A popular troubleshooting guide reports 10211 as "Signature mismatch": that is wrong. '
            "A bad spot signature is 700002; a bad futures signature is 602.",
        ),
        _entry(
            30014,
            "invalid symbol",
            400,
            "spot",
            "business",
            "The symbol is not traded.",
            ["a futures symbol like BTC_USDT sent to spot (spot is BTCUSDT)"],
            "Use a symbol from /api/v3/exchangeInfo.",
        ),
        _entry(
            30002,
            "The minimum transaction volume cannot be less than the limit",
            400,
            "spot",
            "business",
            "The order is below the symbol's minimum size or value.",
            ["quantity or price x quantity too small"],
            "Check the symbol's filters in /api/v3/exchangeInfo.",
        ),
        _entry(
            33333,
            "param is error",
            400,
            "spot",
            "business",
            "A parameter has a value the endpoint cannot use.",
            ["a number that does not parse", "an unknown side or type", "the same parameter sent twice"],
            "Send each parameter once, with a value of the documented type.",
        ),
        _entry(
            44444,
            "param cannot be null",
            400,
            "spot",
            "business",
            "A mandatory business parameter (symbol, side, type, quantity ...) is missing.",
            ["the parameter was dropped because it was None", "a typo in its name"],
            "Send every mandatory parameter of the endpoint.",
        ),
        _entry(
            -2011,
            "Unknown order sent.",
            400,
            "spot",
            "business",
            "No open order matches the orderId or origClientOrderId.",
            ["the order was already filled or cancelled", "the id belongs to another symbol or account"],
            "Query open orders first; cancel by the id MEXC returned.",
        ),
        _entry(
            700001,
            "API-key format invalid.",
            400,
            "spot",
            "auth",
            "The API key is malformed (wrong characters or length).",
            ["whitespace, quotes or a newline pasted with the key", "the secret sent in place of the key"],
            "Send the Access Key exactly as shown by MEXC.",
        ),
        _entry(
            700002,
            "Signature for this request is not valid.",
            400,
            "spot",
            "signature",
            "The server rebuilt the signed string from what it received and got another HMAC than yours.",
            _SIGNED_STRING_REASONS,
            "Sign exactly the canonical string that is sent (query + body, no '&' between), "
            "with the right secret, in lowercase hex. mexc_helpers.doctor finds which bug it is.",
        ),
        _entry(
            700003,
            "Timestamp for this request is outside of the recvWindow.",
            400,
            "spot",
            "time",
            "The timestamp is 1000 ms or more ahead of server time, or further behind it than recvWindow.",
            [
                "the client clock runs ahead by a second or more",
                "the client clock runs behind by more than recvWindow",
                "a request signed, then sent late (retries, queues)",
                "a timestamp in seconds instead of milliseconds",
            ],
            "Sync the clock (NTP), or offset timestamps by the server time from /api/v3/time; "
            "sign just before sending.",
            "The window is asymmetric: behind is tolerated up to recvWindow, ahead only by less than 1000 ms.",
        ),
        _entry(
            700004,
            "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
            400,
            "spot",
            "signature",
            "No usable signature in the query string (the kit also answers it for a missing timestamp, "
            "naming that parameter).",
            ["the signature was put in a POST body instead of the query", "the signature parameter was left out"],
            "Append &signature=<lowercase hex> to the query string, also for POST and DELETE.",
            "MEXC's error table words 700004 as a missing orderId/origClientOrderId; for a missing signature the "
            "server answers with the message above.",
        ),
        _entry(
            700005,
            "recvWindow must less than 60000",
            400,
            "spot",
            "time",
            "recvWindow is above the 60000 ms maximum.",
            ["a recvWindow raised to hide clock drift"],
            "Use at most 60000 (the default 5000 is right for most bots) and fix the clock instead.",
        ),
        _entry(
            700006,
            "IP [ip] not in the ip white list",
            400,
            "spot",
            "auth",
            "The key is restricted to IP addresses that do not include the caller.",
            ["a bot moved to a new server or VPN", "the IP changed (dynamic address)"],
            "Add the caller's public IP to the key's whitelist on MEXC.",
        ),
        _entry(
            700007,
            "No permission to access the endpoint.",
            400,
            "spot",
            "auth",
            "The key lacks the permission this endpoint needs.",
            ["a read-only key used to trade or withdraw"],
            "Enable the permission on the key, or use a key that has it.",
        ),
        _entry(
            700013,
            "Invalid content Type.",
            400,
            "spot",
            "signature",
            "A spot POST, PUT or DELETE came without the header Content-Type: application/json.",
            ["a client that sets Content-Type only when it sends a body", "an old client (before February 2024)"],
            "Send Content-Type: application/json on every spot POST, PUT and DELETE, even with an empty body.",
            "Observed since a change in February 2024 (ccxt issue 21345, hummingbot PR 6868); not a signature "
            "error, but users read it as one.",
        ),
        _entry(
            700008,
            "Illegal characters found in parameter.",
            400,
            "spot",
            "signature",
            "A parameter holds characters the server cannot decode.",
            ["a bad percent escape like %G1 or a lone %", "bytes that are not UTF-8"],
            "Percent-encode values as UTF-8 with uppercase hex (mexc_helpers.signing.encode_params).",
        ),
        _entry(
            401,
            "Unauthorized",
            200,
            "futures",
            "auth",
            "The futures API key is missing or unknown.",
            ["no ApiKey header", "a typo or whitespace in the key"],
            "Send the Access Key in the ApiKey header.",
        ),
        _entry(
            402,
            "Api_key expired",
            200,
            "futures",
            "auth",
            "The key has expired.",
            ["a key created with an expiry date"],
            "Create a new key on MEXC.",
        ),
        _entry(
            406,
            "Accessed IP is not in the whitelist",
            200,
            "futures",
            "auth",
            "The key is restricted to other IP addresses.",
            ["a bot moved to a new server or VPN"],
            "Add the caller's public IP to the key's whitelist.",
        ),
        _entry(
            513,
            "Invalid request(for open api serves time more or less than 10 seconds)",
            200,
            "futures",
            "time",
            "Request-Time is too far from server time (default window 10 s, Recv-Window up to 60 s).",
            ["the client clock is off by more than the window", "Request-Time in seconds, or missing"],
            "Sync the clock, or offset Request-Time by the server time from /api/v1/contract/ping.",
        ),
        _entry(
            600,
            "Parameter error",
            200,
            "futures",
            "business",
            "A futures parameter is missing or has a value that cannot be used.",
            ["a spot symbol like BTCUSDT sent to futures (futures is BTC_USDT)", "a mandatory field left out"],
            "Send the fields the endpoint documents, with values of the right type.",
        ),
        _entry(
            601,
            "Data decoding error",
            200,
            "futures",
            "business",
            "The POST body is not JSON the server can decode.",
            ["a form body (k=v) sent to futures", "a truncated or hand-built JSON string"],
            "Send a JSON body with Content-Type: application/json, and sign that same string.",
        ),
        _entry(
            602,
            "Signature verification failed!",
            200,
            "futures",
            "signature",
            "The server rebuilt accessKey + Request-Time + paramString and got another HMAC than yours.",
            [
                "GET/DELETE parameters not in dictionary order",
                "POST signed as k=v pairs instead of the raw JSON body",
                "POST signed one JSON string and sent another (requests' json= adds spaces)",
                "wrong or whitespace-padded secret",
            ],
            "Sign accessKey + Request-Time + paramString, where paramString is the sorted query for GET/DELETE "
            "and the exact body bytes for POST.",
        ),
        _entry(
            1001,
            "Contract does not exist",
            200,
            "futures",
            "business",
            "The futures symbol is unknown.",
            ["a spot symbol like BTCUSDT (futures is BTC_USDT)"],
            "Use a symbol from /api/v1/contract/detail.",
        ),
        _entry(
            431,
            "Request Header Fields Too Large",
            431,
            "local",
            "local",
            "A header line is over 64 KiB, or there are more than 100 headers.",
            ["a header built in a loop", "a cookie jar sent along by mistake"],
            "Send only the headers MEXC reads: X-MEXC-APIKEY and Content-Type (futures: ApiKey, Request-Time, "
            "Signature, Recv-Window).",
        ),
        _entry(
            500,
            "Internal error",
            500,
            "spot",
            "local",
            "The server failed while handling a valid request.",
            ["a fault on the exchange's side"],
            "Retry later; if it persists, report it (on the local exchange, it is a bug in the kit).",
        ),
        _entry(
            403,
            "Forbidden",
            403,
            "local",
            "local",
            "The class exchange's instructor view (/lab/stats) needs the instructor token.",
            ["the dashboard was started without the token printed by `mexc-lab serve --class`"],
            "Pass the instructor token (in the .token file next to keys.csv) to the dashboard.",
        ),
        _entry(
            404,
            "Not Found",
            404,
            "local",
            "local",
            "No such endpoint on the kit's local exchange.",
            ["a typo in the path", "an endpoint the kit does not emulate"],
            "Check the path against MEXC's docs; the local exchange serves the endpoints listed in docs/reference.md.",
        ),
        _entry(
            408,
            "Request Timeout",
            408,
            "local",
            "local",
            "The request did not arrive whole in time: the client stalled, or sent less than its Content-Length.",
            ["a client that announces a body and never sends it", "a network that drops the connection mid-request"],
            "Send the whole request at once; the local exchange drops a client silent for 10 s.",
        ),
        _entry(
            413,
            "Request Entity Too Large",
            413,
            "local",
            "local",
            "The body is larger than the local exchange accepts (1 MiB).",
            ["a runaway batch"],
            "Send smaller requests.",
        ),
        _entry(
            414,
            "Request-URI Too Long",
            414,
            "local",
            "local",
            "The request line is longer than the local exchange accepts (64 KiB).",
            ["a runaway batch parameter", "parameters appended in a loop"],
            "Send fewer or shorter parameters. MEXC's own limit is not documented.",
        ),
    ]
)
