"""The tolerant reader (mexc_helpers.doctor.forms.tolerant): a MEXC request found anywhere in a text.

Each sample is laid out the way its tool prints it: a bot's console line, a terminal that wraps a long
URL, a logger that cuts one with "...", header notations of Python, JS (Node's util.inspect), Go
(http.Header's %v), Java (Map.toString) and curl, a ``bash -x`` trace, Chrome's "Copy as cURL" (ported
from DevTools' NetworkLogView.generateCurlCommand: escapeStringWin and escapeStringPosix), a JSONC config,
VS Code REST Client and JetBrains ``.http`` files (their documented syntax), the Postman console's layout
as copied as text, and the log prefixes of Python logging, docker compose, logcat and Spring Boot. Every
request is signed here with hmac and MEXC's public example key pair, not with the kit's signer: one is
right (the doctor finds nothing), one has a known bug the doctor must prove.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mexc_helpers.doctor import diagnose
from mexc_helpers.doctor.forms.curl import read_curl
from mexc_helpers.doctor.forms.prefixes import clean_lines, uncommented
from mexc_helpers.doctor.forms.tolerant import read_anywhere
from mexc_helpers.doctor.pasted import UnusableInput
from mexc_helpers.doctor.read import read_requests
from tests.conftest import DOCS_KEY as KEY
from tests.conftest import DOCS_SECRET as SECRET
from tests.conftest import NOW

SPOT = "https://api.mexc.com"
FUT = "https://contract.mexc.com"
SUBMIT = "/api/v1/private/order/submit"
OPEN_ORDERS = "/api/v1/private/order/list/open_orders"
SPOT_700002 = '{"code":700002,"msg":"Signature for this request is not valid."}'
FUTURES_602 = '{"success":false,"code":602,"message":"Signature verification failed!"}'
JSON_TYPE = "application/json"


def sign(payload: str) -> str:
    return hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()


# --- the requests: each right, and with one known bug ----------------------------------------------

ORDER = f"symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.001&price=60000&timestamp={NOW}"
SORTED = "&".join(sorted(ORDER.split("&")))
SPOT_QUERY = f"{ORDER}&signature={sign(ORDER)}"
SPOT_BUG_QUERY = f"{ORDER}&signature={sign(SORTED)}"  # signed sorted, sent in the order built
FUT_BODY = json.dumps({"symbol": "BTC_USDT", "price": 60000, "vol": 1, "side": 1, "type": 1, "openType": 1})
FUT_COMPACT = FUT_BODY.replace(": ", ":").replace(", ", ",")
FUT_SIGNATURE = sign(f"{KEY}{NOW}{FUT_COMPACT}")  # signed compact; the bug sends json.dumps' default spacing
FUT_GET_QUERY = "page_num=1&symbol=BTC_USDT"  # futures sign the parameters sorted
FUT_GET_SIGNATURE = sign(f"{KEY}{NOW}{FUT_GET_QUERY}")

# (name, spot query sent, futures body sent, the cause the doctor must prove)
CASES = [("right", SPOT_QUERY, FUT_COMPACT, "ok"), ("bug", SPOT_BUG_QUERY, FUT_BODY, None)]
SPOT_CAUSE, FUT_CAUSE = "signed_order_differs", "contract_json_bytes_differ"


def spot_headers():
    return {"X-MEXC-APIKEY": KEY, "Content-Type": JSON_TYPE}


def fut_headers():
    return {"ApiKey": KEY, "Request-Time": str(NOW), "Signature": FUT_SIGNATURE, "Content-Type": JSON_TYPE}


def only(text: str):
    """The one request the tolerant reader finds in ``text``."""
    found = read_anywhere(text)
    assert found is not None and len(found) == 1, found
    return found[0]


def check(one, method, path, query, headers, body, answer, language=None, form=None):
    request = one.request
    assert (request.method, request.path, request.query) == (method, path, query)
    assert (dict(request.headers) if request.headers_given else None) == headers
    assert request.body == body and one.answer_code == answer and one.language == language
    if form:
        assert one.form == form


def causes(text: str) -> list[str]:
    return diagnose(text, SECRET, server_time=NOW).causes


# --- (1) a bot's console line, the answer on the next line -----------------------------------------


@pytest.mark.parametrize(("name", "query", "body", "cause"), CASES, ids=[case[0] for case in CASES])
def test_a_console_line_and_the_answer_on_the_next_line(name, query, body, cause):
    text = f"POST {SPOT}/api/v3/order?{query}\n{SPOT_700002}\n"
    check(only(text), "POST", "/api/v3/order", query, None, "", 700002, form="log")
    assert read_requests(text)[0].form == "log"
    assert causes(text) == [cause or SPOT_CAUSE]


def test_any_host_is_read_the_local_exchange_and_a_proxy_included():
    for base in ("http://127.0.0.1:8080", "https://mexc-proxy.example.net:8443"):
        one = only(f"[bot] POST {base}/api/v3/order?{SPOT_QUERY}\n[bot] {SPOT_700002}")
        assert one.base_url == base and one.request.query == SPOT_QUERY and one.answer_code == 700002
        assert causes(f"[bot] POST {base}/api/v3/order?{SPOT_QUERY}\n[bot] {SPOT_700002}") == ["ok"]


def test_a_console_line_without_a_method_gets_it_inferred_and_a_futures_get_its_headers():
    one = only(f"placing order {SPOT}/api/v3/order?{SPOT_QUERY} -> {SPOT_700002}")
    assert one.request.method == "POST" and "inferred" in one.method_note and one.answer_code == 700002
    text = f"GET {FUT}{OPEN_ORDERS}?{FUT_GET_QUERY}\nApiKey: {KEY}\nRequest-Time: {NOW}\n"
    text += f"Signature: {FUT_GET_SIGNATURE}\n"
    headers = {"ApiKey": KEY, "Request-Time": str(NOW), "Signature": FUT_GET_SIGNATURE}
    check(only(text), "GET", OPEN_ORDERS, FUT_GET_QUERY, headers, "", None)
    assert causes(text.replace("page_num=1", "page_num=1&page_size=20")) == ["param_added_after_signing"]


# --- (2) a URL a terminal wrapped --------------------------------------------------------------------


def wrapped(line: str, width: int) -> str:
    return "\n".join(line[start : start + width] for start in range(0, len(line), width))


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("prefix", ["", "[13:00:01] ", "bot-1  | ", "2026-12-02 13:00:01,123 INFO bot: "])
@pytest.mark.parametrize(("name", "query", "body", "cause"), CASES, ids=[case[0] for case in CASES])
def test_a_url_wrapped_over_two_or_three_lines_is_put_back_together(width, prefix, name, query, body, cause):
    text = wrapped(f"{prefix}POST {SPOT}/api/v3/order?{query}", width) + f"\n{prefix}{SPOT_700002}"
    assert 2 <= text.count("\n") <= 4
    check(only(text), "POST", "/api/v3/order", query, None, "", 700002)
    assert causes(text) == [cause or SPOT_CAUSE]


def test_a_whole_url_is_not_joined_with_the_line_after_it():
    text = f"GET {SPOT}/api/v3/account?timestamp={NOW}&signature={sign(f'timestamp={NOW}')}\nrecvWindow=5000 was used"
    lines, _ = clean_lines(text)
    assert len(lines) == 2 and only(text).request.query.endswith(sign(f"timestamp={NOW}"))
    short = f"GET {SPOT}/api/v3/a?b=1\nc=2"  # a short line is no terminal's width
    assert clean_lines(short)[0] == short.split("\n")


# --- (3) a URL cut with "..." and completed by a second occurrence ---------------------------------


@pytest.mark.parametrize("cut", ["end", "end, unicode", "middle"])
@pytest.mark.parametrize(("name", "query", "body", "cause"), CASES, ids=[case[0] for case in CASES])
def test_a_cut_url_is_completed_by_another_occurrence_of_it(cut, name, query, body, cause):
    url = f"{SPOT}/api/v3/order?{query}"
    shown = {"end": url[:75] + "...", "end, unicode": url[:75] + "…", "middle": url[:60] + "..." + url[-30:]}[cut]
    text = (
        f"2026-12-02 13:00:01,120 DEBUG bot.exchange: POST {shown}\n"
        "2026-12-02 13:00:01,448 WARNING bot.exchange: order rejected\n"
        f"2026-12-02 13:00:01,449 WARNING bot.exchange:   url={url}\n"
        f"2026-12-02 13:00:01,450 WARNING bot.exchange:   answer={SPOT_700002}\n"
    )
    check(only(text), "POST", "/api/v3/order", query, None, "", 700002)
    assert causes(text) == [cause or SPOT_CAUSE]


def test_a_cut_url_with_no_whole_occurrence_is_refused_quoting_what_was_found():
    shown = f"{SPOT}/api/v3/order?{SPOT_QUERY[:80]}..."
    with pytest.raises(UnusableInput, match="cut short") as refused:
        diagnose(f"[13:00:01] POST {shown}\n[13:00:01] {SPOT_700002}", SECRET)
    assert f"(found: POST {shown})" in str(refused.value) and "\n" not in str(refused.value)


# --- (4) header notations ----------------------------------------------------------------------------


def spot_in(notation: str, query: str) -> str:
    url = f"{SPOT}/api/v3/order?{query}"
    return {
        "python dict": f"POST {url} headers={{'X-MEXC-APIKEY': '{KEY}', 'Content-Type': 'application/json'}}",
        "json object": f'POST {url}\n{{"X-MEXC-APIKEY": "{KEY}", "Content-Type": "application/json"}}',
        "name: value": f"POST {url}\nX-MEXC-APIKEY: {KEY}\nContent-Type: application/json\n",
        "name=value (Java Map)": f"POST {url} headers={{X-MEXC-APIKEY=[{KEY}], Content-Type=[application/json]}}",
        "name=value": f"POST {url}\nheaders: X-MEXC-APIKEY={KEY}, Content-Type=application/json",
        "curl -H": f"request: POST {url} -H 'X-MEXC-APIKEY: {KEY}' -H \"Content-Type: application/json\"",
    }[notation] + f"\n{SPOT_700002}"


def futures_in(notation: str, body: str) -> str:
    url, headers = f"{FUT}{SUBMIT}", fut_headers()
    if notation == "js object":  # console.log(method, url, headers): util.inspect breaks a long object over lines
        inspected = ",\n".join(
            f"  {name if name.isalnum() else repr(name)}: '{value}'" for name, value in headers.items()
        )
        return f"POST {url} {{\n{inspected}\n}}\nbody: {body}\n{FUTURES_602}"
    if notation == "go map":  # log.Printf("%s %s header=%v body=%s", ...): http.Header is a map, keys sorted
        header = " ".join(f"{name.title()}:[{value}]" for name, value in sorted(headers.items()))
        return f"2026/12/02 13:00:01 POST {url} header=map[{header}] body={body}"
    pairs = ", ".join(f'"{name}": "{value}"' for name, value in headers.items())
    return f"POST {url}\nRequestHeaders: {{{pairs}}}\nRequestBody: {body}\n{FUTURES_602}"


SPOT_NOTATIONS = ["python dict", "json object", "name: value", "name=value (Java Map)", "name=value", "curl -H"]


@pytest.mark.parametrize("notation", SPOT_NOTATIONS)
@pytest.mark.parametrize(("name", "query", "body", "cause"), CASES, ids=[case[0] for case in CASES])
def test_spot_headers_in_any_notation(notation, name, query, body, cause):
    text = spot_in(notation, query)
    check(only(text), "POST", "/api/v3/order", query, spot_headers(), "", 700002)
    assert causes(text) == [cause or SPOT_CAUSE]


@pytest.mark.parametrize("notation", ["js object", "go map", "json, labelled"])
@pytest.mark.parametrize(("name", "query", "body", "cause"), CASES, ids=[case[0] for case in CASES])
def test_futures_headers_and_body_in_any_notation(notation, name, query, body, cause):
    text = futures_in(notation, body)
    headers = fut_headers()
    if notation == "go map":
        headers = {name.title(): value for name, value in sorted(headers.items())}
    answer, language = (None, "Go") if notation == "go map" else (602, None)
    check(only(text), "POST", SUBMIT, "", headers, body, answer, language)
    assert causes(text) == [cause or FUT_CAUSE]


def test_loose_notations_take_header_names_only_and_a_log_without_the_key_judges_no_header():
    text = f"POST {SPOT}/api/v3/order?{SPOT_QUERY} params={{'symbol': 'BTCUSDT', 'side': 'BUY'}} Content-Type: json"
    one = only(text)
    assert not one.request.headers_given and dict(one.request.headers) == {}
    redacted = only(f"POST {SPOT}/api/v3/order?{SPOT_QUERY}\nheaders: {{'X-MEXC-APIKEY': '***'}}")
    assert not redacted.request.headers_given


# --- (5) a bash -x trace of a curl script ------------------------------------------------------------


def bash_x(query: str) -> str:
    """What ``bash -x sign.sh`` prints: each command after '+' ('++' in a command substitution), words quoted
    as bash quotes them, then curl's output (the exchange's answer)."""
    order = query.rsplit("&signature=", 1)[0]
    return (
        f"+ API_KEY={KEY}\n++ date +%s%3N\n+ TIMESTAMP={NOW}\n+ QUERY='{order}'\n"
        f"++ echo -n '{order}'\n++ openssl dgst -sha256 -hmac 45d0b3c26f2644f19bfb98b07741b2f5\n"
        f"++ awk '{{print $2}}'\n+ SIGNATURE={query.rsplit('=', 1)[1]}\n"
        f"+ curl -s -X POST -H 'X-MEXC-APIKEY: {KEY}' -H 'Content-Type: application/json' "
        f"'{SPOT}/api/v3/order?{query}'\n"
        f"{SPOT_700002}\n+ echo\n"
    )


@pytest.mark.parametrize(("name", "query", "body", "cause"), CASES, ids=[case[0] for case in CASES])
def test_a_bash_x_trace_of_a_curl_script(name, query, body, cause):
    text = bash_x(query)
    check(only(text), "POST", "/api/v3/order", query, spot_headers(), "", 700002, "Shell", "curl")
    assert causes(text) == [cause or SPOT_CAUSE]
    prompt = f"trader@vps:~/bot$ curl -s -X POST \\\n  -H 'X-MEXC-APIKEY: {KEY}' \\\n"
    prompt += (
        f"  -H 'Content-Type: application/json' \\\n  '{SPOT}/api/v3/order?{query}'\n{SPOT_700002}\ntrader@vps:~/bot$"
    )
    check(only(prompt), "POST", "/api/v3/order", query, spot_headers(), "", 700002, "Shell", "curl")


# --- (6) Chrome's "Copy as cURL (cmd)" and "(bash)" -------------------------------------------------


def escape_win(text: str) -> str:
    """DevTools' escapeStringWin: \\ and " backslashed, then a caret before anything unsafe for cmd, % made
    %^ before a name character, non-ASCII made a space, a line break ^ and two line breaks."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    text = re.sub(r"[^a-zA-Z0-9\s_\-:=+~'/.',?;()*`]", lambda m: "^" + m.group(), text)
    text = re.sub(r"%(?=[a-zA-Z0-9_])", "%^", text)
    text = re.sub(r"[^ -~\r\n]", " ", text)
    return '^"' + re.sub(r"\r?\n|\r", "^\n\n", text) + '^"'


def escape_posix(text: str) -> str:
    """DevTools' escapeStringPosix: '...' unless the text holds a quote, a ! or a control character; then
    $'...' with \\\\, \\', \\n, \\r and \\uXXXX escapes."""
    if not re.search(r"[\0-\x1f\x7f-\x9f!]|'", text):
        return f"'{text}'"
    text = text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
    return "$'" + re.sub(r"[\0-\x1f\x7f-\x9f!]", lambda m: f"\\u{ord(m.group()):04x}", text) + "'"


def chrome_curl(method: str, url: str, headers: dict, body: str | None, platform: str) -> str:
    """DevTools' generateCurlCommand: the URL (with [ ] { } backslashed for curl's globbing), -X unless the
    method is the one curl infers, one -H per header (HTTP/2 pseudo-headers and accept-encoding left out),
    --data-raw, joined with a line continuation once there are three parts or more."""
    escape = escape_win if platform == "cmd" else escape_posix
    parts = [re.sub(r"[\[{}\]]", lambda m: "\\" + m.group(), escape(url))]
    if method != ("POST" if body else "GET"):
        parts.append(f"-X {escape(method)}")
    parts += [f"-H {escape(f'{name}: {value}')}" for name, value in headers.items()]
    parts += [f"--data-raw {escape(body)}"] if body else []
    return "curl " + ((" ^\n  " if platform == "cmd" else " \\\n  ") if len(parts) >= 3 else " ").join(parts)


BROWSER = {
    "accept": "*/*",
    "accept-language": "en-US,en;q=0.9",
    "sec-ch-ua": '"Chromium";v="124", "Not-A.Brand";v="99"',
}


@pytest.mark.parametrize("platform", ["cmd", "bash"])
@pytest.mark.parametrize(("name", "query", "body", "cause"), CASES, ids=[case[0] for case in CASES])
def test_chrome_copy_as_curl_cmd_and_bash(platform, name, query, body, cause):
    headers = {**BROWSER, **{key.lower(): value for key, value in spot_headers().items()}}
    spot = chrome_curl("POST", f"{SPOT}/api/v3/order?{query}", headers, None, platform)
    assert ("^&" in spot) == (platform == "cmd")
    check(read_curl(spot, None), "POST", "/api/v3/order", query, headers, "", None, "Shell", "curl")
    assert causes(spot) == [cause or SPOT_CAUSE]
    headers = {**BROWSER, **{key.lower(): value for key, value in fut_headers().items()}}
    futures = chrome_curl("POST", f"{FUT}{SUBMIT}", headers, body, platform)
    check(read_curl(futures, None), "POST", SUBMIT, "", headers, body, None, "Shell", "curl")
    assert causes(futures) == [cause or FUT_CAUSE]


@pytest.mark.parametrize("platform", ["cmd", "bash"])
def test_chrome_escapes_quotes_percent_bang_and_newlines_and_the_reader_undoes_them(platform):
    values = {"symbol": "BTC_USDT", "price": 60000, "vol": 1, "side": 1, "type": 1, "openType": 1}
    # A quote, %, !, & and ^, and line breaks (no lone backslash: cmd's C runtime would pass Chrome's \\ on)
    body = json.dumps({**values, "externalOid": 'it\'s 100%off "mine"! &^'}, indent=1)
    headers = {"apikey": KEY, "request-time": str(NOW), "signature": sign(f"{KEY}{NOW}{body}")}
    text = chrome_curl("POST", f"{FUT}{SUBMIT}", {**headers, "content-type": JSON_TYPE}, body, platform)
    assert ("$'" in text) == (platform == "bash") and ("%^" in text) == (platform == "cmd")
    assert read_curl(text, None).request.body == body
    assert causes(text + f"\n{FUTURES_602}") == ["ok"]
    assert read_curl(text + f"\n{FUTURES_602}\n", None).answer_code == 602


# --- (7) JSON with comments ---------------------------------------------------------------------------


def jsonc(body_key: str, body) -> str:
    headers = ",\n".join(f'    "{name}": "{value}"' for name, value in fut_headers().items())
    return (
        "{\n  // what the bot sends, copied from the debugger\n"
        f'  "method": "POST",\n  "url": "{FUT}{SUBMIT}", // futures: contract.mexc.com\n'
        f'  "headers": {{\n{headers}, /* signed over the compact JSON */\n  }},\n'
        f'  /* the body */\n  "{body_key}": {json.dumps(body)},\n}}'
    )


def test_a_json_config_with_comments_is_read_by_the_config_reader():
    text = jsonc("data", FUT_COMPACT)
    assert uncommented(text) != text and json.loads(uncommented(text))["url"] == f"{FUT}{SUBMIT}"
    (one,) = read_requests(text)
    check(one, "POST", SUBMIT, "", fut_headers(), FUT_COMPACT, None, form="config")
    assert causes(text) == ["ok"]
    assert causes(jsonc("json", json.loads(FUT_COMPACT))) == [FUT_CAUSE]  # requests' json= re-serializes it


def test_only_json_comments_are_taken_off():
    logged = f"[13:00:01] POST {SPOT}/api/v3/order?{SPOT_QUERY}"  # starts with "[" and holds "//"
    assert uncommented(logged) == logged and uncommented('{"url": "https://a/b"}') == '{"url": "https://a/b"}'
    assert uncommented("{'url': 'https://a', // no JSON\n}") == "{'url': 'https://a', // no JSON\n}"


# --- (8) VS Code REST Client and JetBrains .http files ------------------------------------------------

GET_ORDERS = f"symbol=BTCUSDT&timestamp={NOW}"


def rest_client(body: str) -> str:
    """A VS Code REST Client file: file variables, ### between requests, a query continued on indented lines."""
    return (
        f"@host = {SPOT}\n@futures = {FUT}\n@apiKey = {KEY}\n\n### Open orders\n"
        f"GET {{{{host}}}}/api/v3/openOrders\n    ?symbol=BTCUSDT\n    &timestamp={NOW}\n"
        f"    &signature={sign(GET_ORDERS)}\nX-MEXC-APIKEY: {{{{apiKey}}}}\n\n"
        f"### Place a futures order\nPOST {{{{futures}}}}{SUBMIT} HTTP/1.1\nApiKey: {{{{apiKey}}}}\n"
        f"Request-Time: {NOW}\nSignature: {FUT_SIGNATURE}\nContent-Type: application/json\n\n{body}\n\n###\n"
    )


def jetbrains(body: str) -> str:
    """A JetBrains HTTP Client request: # @name, {{host}} from http-client.env.json, a response handler."""
    return (
        f"### Place a futures order\n# @name submit\nPOST {{{{host}}}}{SUBMIT}\nApiKey: {KEY}\n"
        f"Request-Time: {NOW}\nSignature: {FUT_SIGNATURE}\nContent-Type: application/json\n\n{body}\n\n"
        '> {%\n    client.test("accepted", function() { client.assert(response.status === 200); });\n%}\n'
    )


@pytest.mark.parametrize(("name", "query", "body", "cause"), CASES, ids=[case[0] for case in CASES])
def test_http_files_of_rest_client_and_jetbrains(name, query, body, cause):
    text = rest_client(body)
    orders, submit = read_anywhere(text)
    query = f"{GET_ORDERS}&signature={sign(GET_ORDERS)}"
    check(orders, "GET", "/api/v3/openOrders", query, {"X-MEXC-APIKEY": KEY}, "", None, form="http file")
    check(submit, "POST", SUBMIT, "", fut_headers(), body, None, form="http file")
    assert orders.base_url == SPOT and submit.base_url == FUT
    assert causes(text) == ["ok"]  # the first signed request: the open orders
    assert causes(text.split("### Place")[0].replace("BTCUSDT", "ETHUSDT")) == ["signature_unexplained"]
    check(only(jetbrains(body)), "POST", SUBMIT, "", fut_headers(), body, None, form="http file")
    assert only(jetbrains(body)).base_url == FUT  # {{host}} from an environment file: MEXC's futures host
    assert causes(jetbrains(body)) == [cause or FUT_CAUSE]


# --- (9) the Postman console -------------------------------------------------------------------------


def postman(method: str, url: str, headers: dict, body: str, answer: str, status: int) -> str:
    """An entry of the Postman console expanded and copied as text: the request line, status and time,
    then Network, Request Headers (Postman's own added), Request Body, Response Headers, Response Body."""
    sent = {**headers, "User-Agent": "PostmanRuntime/7.43.0", "Accept": "*/*", "Cache-Control": "no-cache"}
    sent.update({"Postman-Token": "5e3f0c2a-8d1b-4c6e-9f7a-2b1d3e4f5a6b", "Host": url.split("/")[2]})
    sent.update({"Accept-Encoding": "gzip, deflate, br", "Connection": "keep-alive", "Content-Length": str(len(body))})
    lines = [f"{method} {url}", str(status), "157 ms", "Network", "addresses: {…}", "tls: {…}", "Request Headers"]
    lines += [f"{name}: {value}" for name, value in sent.items()]
    lines += ["Request Body", body] if body else []
    lines += ["Response Headers", "Date: Wed, 02 Dec 2026 13:00:01 GMT", "Content-Type: application/json"]
    lines += ["Connection: keep-alive", "Response Body", answer]
    return "\n".join(lines), sent


@pytest.mark.parametrize(("name", "query", "body", "cause"), CASES, ids=[case[0] for case in CASES])
def test_the_postman_console(name, query, body, cause):
    text, sent = postman("POST", f"{SPOT}/api/v3/order?{query}", spot_headers(), "", SPOT_700002, 400)
    check(only(text), "POST", "/api/v3/order", query, sent, "", 700002)
    assert causes(text) == [cause or SPOT_CAUSE]
    text, sent = postman("POST", f"{FUT}{SUBMIT}", fut_headers(), body, FUTURES_602, 200)
    check(only(text), "POST", SUBMIT, "", sent, body, 602)
    assert causes(text) == [cause or FUT_CAUSE]


# --- (10) behind log prefixes ------------------------------------------------------------------------

PREFIXES = {
    "python logging": ("2026-12-02 13:00:01,123 INFO bot.exchange: ", None),
    "time in brackets": ("[13:00:01] ", None),
    "ISO": ("2026-12-02T13:00:01.123Z ", None),
    "docker compose": ("bot-1  | ", None),
    "docker compose with time": ("bot-1  | 2026-12-02T13:00:01.123456789Z ", None),
    "logcat": ("12-02 13:00:01.123  4321  4388 D MexcClient: ", "Java"),
    "Android Studio logcat": ("2026-12-02 13:00:01.123  4321-4388  MexcClient  com.example.bot  D  ", "Java"),
    "Spring Boot 3": (
        "2026-12-02T13:00:01.123Z  INFO 1 --- [bot] [           main] c.e.bot.MexcClient       : ",
        "Java",
    ),
    "Spring Boot 2": ("2026-12-02 13:00:01.123  INFO 4242 --- [nio-8080-exec-1] c.e.bot.MexcClient : ", "Java"),
    "journald": ("Dec 02 13:00:01 vps bot[1234]: ", None),
}


@pytest.mark.parametrize("prefix", PREFIXES, ids=list(PREFIXES))
@pytest.mark.parametrize(("name", "query", "body", "cause"), CASES, ids=[case[0] for case in CASES])
def test_every_form_behind_log_prefixes(prefix, name, query, body, cause):
    start, language = PREFIXES[prefix]
    prefixed = lambda text: "\n".join(start + line for line in text.split("\n"))  # noqa: E731
    text = prefixed(futures_in("json, labelled", body))
    check(only(text), "POST", SUBMIT, "", fut_headers(), body, 602, language)
    assert causes(text) == [cause or FUT_CAUSE]
    text = prefixed(spot_in("name: value", query))
    check(only(text), "POST", "/api/v3/order", query, spot_headers(), "", 700002, language)
    assert causes(text) == [cause or SPOT_CAUSE]
    raw_http = (
        f"POST /api/v3/order?{query} HTTP/1.1\nHost: api.mexc.com\nX-MEXC-APIKEY: {KEY}\nContent-Type: {JSON_TYPE}"
    )
    one = only(prefixed(raw_http))  # the precise raw HTTP reader, once the prefixes are off
    assert one.form == "http" and one.base_url == SPOT and one.request.query == query and one.language == language
    assert causes(prefixed(raw_http)) == [cause or SPOT_CAUSE]
    text = prefixed(bash_x(query))
    check(only(text), "POST", "/api/v3/order", query, spot_headers(), "", 700002, "Shell", "curl")  # curl says it


# --- what is not a request ---------------------------------------------------------------------------

MEGABYTE = "\n".join(
    f"2026-12-02 13:00:{i % 60:02d},123 INFO worker-{i % 7}: heartbeat ok, queue={i} latency={i % 97}ms"
    for i in range(13_500)
)


@pytest.mark.timeout(30)  # a bound against a hang, not a speed target (benchmarks/ measure speed)
def test_a_megabyte_without_a_request_is_passed_over():
    assert len(MEGABYTE) > 1_000_000
    for text in (MEGABYTE, MEGABYTE + f"\nsee {SPOT}/api/v3/ping for the status"):
        try:
            assert read_anywhere(text) is None
        except UnusableInput as refused:
            assert "found: GET https://api.mexc.com/api/v3/ping)" in str(refused)
    with pytest.raises(UnusableInput, match="cannot read"):
        diagnose(MEGABYTE, SECRET)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"[13:00:01] POST {SPOT}/api/v3/order\n[13:00:02] retrying", f"(found: POST {SPOT}/api/v3/order)"),
        (f"[13:00:01] POST {SPOT}/api/v3/order?symbol=BTCUSDT&side=BUY\n{SPOT_700002}",
         f"(found: POST {SPOT}/api/v3/order?symbol=BTCUSDT&side=BUY)"),
        (f"POST {SPOT}/api/v3/order?{ORDER}&signature=abc123 headers={{'X-MEXC-APIKEY': '{KEY}",
         "not 64 hex digits"),
        (f'POST {SPOT}/api/v3/order?{ORDER} body: {{"a": [1, {{"b": ', "no signature found"),
    ],
)  # fmt: skip
def test_unsigned_or_broken_requests_are_refused_quoting_what_was_found(text, message):
    with pytest.raises(UnusableInput) as refused:
        diagnose(text, SECRET)
    assert message in str(refused.value) and "\n" not in str(refused.value)


HOSTILE = {
    "a=": f"POST {SPOT}/api/v3/order?{SPOT_QUERY} " + "a=" * 100_000,
    "{": f"POST {SPOT}/api/v3/order?{SPOT_QUERY} " + "{" * 200_000,
    "'": f"POST {SPOT}/api/v3/order?{SPOT_QUERY} " + "'" * 200_000,
    "a= lines": f"POST {SPOT}/api/v3/order?{SPOT_QUERY}\n" + ("a=" * 100_000 + "\n") * 2,
    "query of a=": f"POST {SPOT}/api/v3/order?" + "a=" * 100_000,
    "many URLs": f"POST {SPOT}/api/v3/a " * 40_000,
    "many wrapped rows": f"{SPOT}/api/v3/order?" + "\n".join(["a" * 79 + "="] * 3_000),
    "many lines": f"{SPOT}/ap\ni/v3/x" + "\n" * 200_000,
    "cmd carets": "+ curl " + "^" * 200_000 + f" {SPOT}/api/v3/",
    "bash quotes": "+ curl " + "$'" * 100_000 + f" {SPOT}/api/v3/",
    "http file": "@x = {{x}}\n###\n" * 2_000 + "POST {{x}}/api/v3/order",
    "unbalanced": f"POST {SPOT}/api/v3/order?{SPOT_QUERY}\nheaders: {{ 'X-MEXC-APIKEY': \"{KEY}\nbody: '{{\"a\": [",
}


@pytest.mark.timeout(30)  # a bound against a catastrophic regex, not a speed target
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_is_read_or_refused_in_one_line(text):
    try:
        found = read_anywhere(text)
    except UnusableInput as refused:
        assert "\n" not in str(refused)
    else:
        assert found is None or all(one.request.path.startswith("/api/v") for one in found)


def test_binary_junk_is_refused_as_binary():
    junk = bytes(range(256)) * 40 + f"POST {SPOT}/api/v3/order?{SPOT_QUERY}".encode()
    with pytest.raises(UnusableInput, match="binary data"):
        diagnose(junk, SECRET)
    text = junk.decode("latin-1")
    found = read_anywhere(text)  # the reader itself reads around the junk; read.py refuses binary first
    assert found is not None and found[0].request.query == SPOT_QUERY
    with pytest.raises(UnusableInput, match="binary data"):
        diagnose(text, SECRET)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=st.text(max_size=200), after=st.text(max_size=200))
def test_any_text_around_a_request_gives_a_request_or_one_line(before, after):
    for text in (before + f"POST {SPOT}/api/v3/order?{SPOT_QUERY}" + after, before + "/api/v3/" + after):
        try:
            found = read_anywhere(text)
        except UnusableInput as refused:
            assert "\n" not in str(refused)
        else:
            assert found is None or all(one.request.path.startswith("/api/v") for one in found)
