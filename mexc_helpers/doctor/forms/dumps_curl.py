"""libcurl's verbose output (``curl -v``, PHP Guzzle's ``'debug' => true``) and Guzzle's RequestException.

``curl -v`` writes what it sends behind ``> ``, what it receives behind ``< ``, and its own notes behind
``* ``; libcurl called from a program (PHP's curl extension under Guzzle) writes the request head as one
block, so only its first line carries ``> ``::

    * Connected to api.mexc.com (13.225.1.1) port 443 (#0)
    > POST /api/v3/order?...&signature=... HTTP/1.1
    > Host: api.mexc.com                    (Guzzle: "Host: api.mexc.com", no "> ")
    > X-MEXC-APIKEY: mx0...
    >
    < HTTP/1.1 400 Bad Request
    < Content-Type: application/json
    <
    {"code":700002,"msg":"Signature for this request is not valid."}

The request body is never shown (``} [21 bytes data]`` at most): a request that had one is read only
when the paste also holds the curl command it came from, else refused. Guzzle's exception names the
method, the whole URL and the answer (``Client error: `POST https://...` resulted in a `400 Bad Request`
response:`` then the body), without the headers.
"""

from __future__ import annotations

import re
import shlex

from ..pasted import PastedRequest, UnusableInput, pasted
from .common import MAX_REQUESTS
from .dumps_common import (
    METHODS,
    answer_in,
    first_usable,
    header,
    in_language,
    refuse_unseen_body,
    refuse_url_without_parameters,
)

_SENT = re.compile(rf"(?:^|(?<=[\s\d]))> ({METHODS}) (\S+) (HTTP/[\d.]+)\s*$")
_RECEIVED = re.compile(r"^< HTTP/[\d.]+ (\d{3})\b")
_CONNECTED = re.compile(r"^\* +Connected to (\S+) \(.*?\) port (\d+)")
_HEADER_LINE = re.compile(r"^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]?(.*)$")
_TLS = ("* SSL connection", "* ALPN", "* TLSv", "* Server certificate")
_DATA_OPTIONS = ("-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--data-urlencode", "--json")


def read_curl_verbose(text: str) -> list[PastedRequest] | None:
    """Every request in libcurl's verbose output, with the answer shown after it."""
    if "> " not in text or " HTTP/" not in text:
        return None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts = [(index, found) for index, line in enumerate(lines) if "> " in line and (found := _SENT.search(line))]
    if not starts:
        return None
    command_body = _command_body(text)
    language = "PHP" if "GuzzleHttp" in text else "Shell" if "curl/" in text or _command(text) else None
    schemes, scheme, previous = [], "https", 0
    for index, _ in starts[:MAX_REQUESTS]:  # the connection curl noted last before each request
        for line in lines[previous:index]:
            connected = _CONNECTED.match(line)
            scheme = ("https" if connected[2] == "443" else "http") if connected else scheme
            scheme = "https" if line.startswith(_TLS) else scheme
        schemes.append(scheme)
        previous = index
    found, refusals = [], []
    for number, (index, start) in enumerate(starts[:MAX_REQUESTS]):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        try:
            found.append(in_language(_request(lines, index, end, start, schemes[number], command_body), language))
        except UnusableInput as refused:
            refusals.append(refused)
    return first_usable(found, refusals)


def _request(lines: list[str], index: int, end: int, start: re.Match, scheme: str, command_body) -> PastedRequest:
    method, target = start[1], start[2]
    headers: dict[str, str] = {}
    position = index + 1
    while position < end:
        line = lines[position]
        line = line[2:] if line.startswith("> ") else line
        if not line.strip() or line.strip() == ">" or line.startswith(("<", "* ", "{ [", "} [")):
            break
        found = _HEADER_LINE.match(line.strip())
        if found is None:
            break
        headers[found[1]] = found[2].strip()
        position += 1
    status = None
    for line in lines[position:end]:
        if received := _RECEIVED.match(line):
            status = int(received[1])
            break
    if not re.match(r"(?i)https?://", target):
        host = header(headers, "Host")
        if host is None:
            raise UnusableInput("this curl -v output has no Host line: paste every '>' line curl printed")
        target = f"{scheme}://{host}{target}"
    body = ""
    length = header(headers, "Content-Length") or ("1" if header(headers, "Transfer-Encoding") else None)
    if length not in (None, "0"):
        body = command_body
        if body is None:
            refuse_unseen_body(
                length, "curl's verbose output", "paste the curl command (its -d) or the body with the output"
            )
            body = ""
    answer = answer_in("\n".join(lines[position:end]), status)
    return pasted(method, target, headers, body, "curl-verbose", answer_code=answer)


def _command(text: str) -> str | None:
    """The curl command a paste holds before curl's output (``$ curl -v ...``, lines joined at ``\\``)."""
    found = re.search(r"(?m)^(?:\$ )?curl\s", text)
    if found is None:
        return None
    lines = text[found.start() :].split("\n", 60)
    command = lines[0]
    for line in lines[1:60]:
        if not command.rstrip().endswith("\\"):
            break
        command = command.rstrip()[:-1] + " " + line
    return command


def _command_body(text: str) -> str | None:
    """The body the pasted curl command sends (its ``-d``s joined with ``&``, as curl does), or None."""
    command = _command(text)
    if command is None:
        return None
    try:
        words = shlex.split(command[2:] if command.startswith("$ ") else command)
    except ValueError:
        return None
    data = []
    for index, word in enumerate(words[:-1]):
        if word in _DATA_OPTIONS:
            data.append(words[index + 1])
    return "&".join(data) if data else None


# --- Guzzle's exception ------------------------------------------------------------------------------

_GUZZLE = re.compile(
    rf"(?:Client|Server) error: `({METHODS}) (https?://[^`\s]+)` resulted in a `(\d{{3}})[^`\n]*` response"
)


def read_guzzle_error(text: str) -> list[PastedRequest] | None:
    """The request in Guzzle's ``ClientException``: method, URL and answer (no headers)."""
    if "` resulted in a `" not in text:
        return None
    found = _GUZZLE.search(text)
    if found is None:
        return None
    method, url, status = found[1], found[2], int(found[3])
    refuse_url_without_parameters(
        url,
        "Guzzle's error",
        "they went in the body, which it does not show; paste the 'debug' => true output and the body you send",
    )
    answer = answer_in(text[found.end() :], status)
    return [in_language(pasted(method, url, None, "", "guzzle-error", answer_code=answer), "PHP")]
