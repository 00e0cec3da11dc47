"""The request forms of mexc_helpers.doctor.forms: raw HTTP, HAR, fetch, PowerShell, httpie, request configs.

Every fixture is built from a correctly signed request (sign_spot / sign_futures with MEXC's public
example key), written out the way the tool writes it (Chrome's devtools generators, httpie's rules,
a HAR as Chrome saves it). Each form must give back the exact request, the doctor must accept the
correct one, and a version with one bug must get that bug's proven cause, never signature_unexplained.
"""

from __future__ import annotations

import base64
import json
import re
import shlex
import time
from dataclasses import replace
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mexc_helpers.doctor import diagnose
from mexc_helpers.doctor.forms import recognize
from mexc_helpers.doctor.forms.repair import error_code_only, repair_entities
from mexc_helpers.doctor.pasted import UnusableInput, is_redacted
from mexc_helpers.doctor.read import read_requests
from mexc_helpers.protocol.digest import hmac_sha256_hex
from mexc_helpers.protocol.signing import sign_futures, sign_spot
from tests.conftest import DOCS_KEY as KEY
from tests.conftest import DOCS_SECRET as SECRET
from tests.conftest import NOW

SPOT = "https://api.mexc.com"
FUT = "https://contract.mexc.com"
ORDER = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "0.001"), ("price", "60000")]
FUT_ORDER = {"symbol": "BTC_USDT", "price": 60000, "vol": 1, "side": 1, "type": 1, "openType": 1}
SUBMIT = "/api/v1/private/order/submit"
OPEN_ORDERS = "/api/v1/private/order/list/open_orders"
UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0"
SEC_CH_UA = '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"'

SPOT_POST = sign_spot("POST", "/api/v3/order", ORDER, api_key=KEY, secret=SECRET, timestamp=NOW)
SPOT_GET = sign_spot("GET", "/api/v3/openOrders", {"symbol": "BTCUSDT"}, api_key=KEY, secret=SECRET, timestamp=NOW)
FUT_POST = sign_futures("POST", SUBMIT, FUT_ORDER, api_key=KEY, secret=SECRET, request_time=NOW)
FUT_GET = sign_futures(
    "GET", OPEN_ORDERS, {"symbol": "BTC_USDT", "page_num": 1}, api_key=KEY, secret=SECRET, request_time=NOW
)


def sorted_after_signing(signed):
    """The spot bug: the query sent in another order (sorted) than the one signed."""
    base, _, query = signed.url.partition("?")
    pairs = [piece for piece in query.split("&") if not piece.startswith("signature=")]
    return replace(signed, url=f"{base}?{'&'.join(sorted(pairs))}&signature={signed.signature}")


def body_reserialized(signed):
    """The futures POST bug: signed the compact JSON, sent json.dumps' default spacing (requests' json=)."""
    return replace(signed, body=json.dumps(json.loads(signed.body)))


def param_added(signed):
    """The futures GET bug: a parameter added to the query after signing."""
    return replace(signed, url=signed.url.replace("page_num=1", "page_num=1&page_size=20"))


# (name, correct request, the same with one bug, the bug's cause)
REQUESTS = [
    ("spot POST", SPOT_POST, sorted_after_signing(SPOT_POST), "signed_order_differs"),
    ("futures POST", FUT_POST, body_reserialized(FUT_POST), "contract_json_bytes_differ"),
    ("futures GET", FUT_GET, param_added(FUT_GET), "param_added_after_signing"),
]


def path_and_query(signed) -> str:
    parts = urlsplit(signed.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- how each tool writes a request -----------------------------------------------------------


def raw_http(signed, newline="\r\n", absolute=False):
    """A proxy's dump: Burp/mitmproxy (origin-form, Host header) or Fiddler (absolute URL in the request line)."""
    body = signed.body or ""
    headers = {"Host": urlsplit(signed.url).netloc, "User-Agent": "python-requests/2.32.3", "Accept": "*/*"}
    headers.update(signed.headers)
    headers["Content-Length"] = str(len(body.encode()))
    target = signed.url if absolute else path_and_query(signed)
    lines = [f"{signed.method} {target} HTTP/1.1"] + [f"{name}: {value}" for name, value in headers.items()]
    return newline.join(lines) + newline * 2 + body, headers


def devtools_http2(signed):
    """Chrome devtools' request headers of an HTTP/2 request: pseudo-headers first, names in lowercase."""
    parts = urlsplit(signed.url)
    headers = {"accept": "*/*", "accept-language": "en-US,en;q=0.9", "sec-ch-ua": SEC_CH_UA, "user-agent": UA}
    headers.update({name.lower(): value for name, value in signed.headers.items()})
    pseudo = [f":authority: {parts.netloc}", f":method: {signed.method}", f":path: {path_and_query(signed)}"]
    lines = pseudo + [":scheme: https"] + [f"{name}: {value}" for name, value in headers.items()]
    return "\n".join(lines) + (f"\n\n{signed.body}" if signed.body else ""), headers


def chrome_fetch(signed, node=False):
    """Chrome's "Copy as fetch" / "Copy as fetch (Node.js)" (NetworkLogView.generateFetchCall)."""
    headers = {"accept": "*/*", "accept-language": "en-US,en;q=0.9"}
    headers.update({name.lower(): value for name, value in signed.headers.items()})
    headers.update({"sec-ch-ua": SEC_CH_UA, "sec-fetch-mode": "cors", "sec-fetch-site": "same-site"})
    options = {
        "headers": headers,
        "referrer": "https://www.mexc.com/",
        "referrerPolicy": "strict-origin-when-cross-origin",
    }
    options.update({"body": signed.body, "method": signed.method, "mode": "cors", "credentials": "omit"})
    if node:  # node-fetch has no mode or credentials; the referrer becomes headers
        for name in ("referrer", "referrerPolicy", "mode", "credentials"):
            del options[name]
        headers.update({"cookie": "_ga=GA1.1.1", "Referer": "https://www.mexc.com/"})
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return f"fetch({json.dumps(signed.url)}, {json.dumps(options, indent=2, ensure_ascii=False)});", headers


def ps_escape(text: str) -> str:
    """Chrome's PowerShell string: backtick before ` $ ", non-ASCII as $([char]N)."""
    escaped = re.sub(r"[`$\"]", lambda m: "`" + m.group(0), text)
    return '"' + re.sub(r"[^\x20-\x7E]", lambda m: f"$([char]{ord(m.group(0))})", escaped) + '"'


def chrome_powershell(signed):
    """Chrome's "Copy as PowerShell" (NetworkLogView.generatePowerShellCommand) of an HTTP/2 request."""
    parts = urlsplit(signed.url)
    sent = [(":authority", parts.netloc), (":method", signed.method), (":path", path_and_query(signed))]
    sent += [(":scheme", "https"), ("accept", "*/*"), ("sec-ch-ua", SEC_CH_UA), ("user-agent", UA)]
    sent += [(name.lower(), value) for name, value in signed.headers.items()]
    ignored = {"host", "connection", "proxy-connection", "content-length", "expect", "range", "content-type"}
    ignored |= {"user-agent", "cookie"}
    pairs = [(name.lstrip(":"), value) for name, value in sent if name.lstrip(":") not in ignored]
    command = [f"-Uri {ps_escape(signed.url)}"]
    if signed.method != "GET":
        command.append(f"-Method {ps_escape(signed.method)}")
    command.append("-WebSession $session")
    command.append("-Headers @{\n" + "\n  ".join(f"{ps_escape(n)}={ps_escape(v)}" for n, v in pairs) + "\n}")
    content_type = dict(sent).get("content-type")
    if content_type:
        command.append(f"-ContentType {ps_escape(content_type)}")
    if signed.body:
        body = ps_escape(signed.body)
        ascii_only = not re.search(r"[^\x20-\x7E]", signed.body)
        command.append(f"-Body {body}" if ascii_only else f"-Body ([System.Text.Encoding]::UTF8.GetBytes({body}))")
    session = (
        f"$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession\n$session.UserAgent = {ps_escape(UA)}\n"
    )
    headers = {name: value for name, value in pairs if name not in ("authority", "method", "path", "scheme")}
    if content_type:
        headers["Content-Type"] = content_type
    return session + "Invoke-WebRequest -UseBasicParsing " + " `\n".join(command), headers


def httpie(signed, command="http"):
    """An httpie command: query as name==value, headers as Name:value, a JSON body as name=value / name:=json."""
    parts = urlsplit(signed.url)
    url = f"{parts.scheme}://{parts.netloc}{parts.path}"
    if command == "https":
        url = url.removeprefix("https://")
    items = [f"{name}=={value}" for name, value in parse_qsl(parts.query)]
    items += [f"{name}:{value}" for name, value in signed.headers.items()]
    for name, value in json.loads(signed.body).items() if signed.body else ():
        items.append(f"{name}={value}" if isinstance(value, str) else f"{name}:={json.dumps(value)}")
    return " ".join([command, signed.method, url] + [shlex.quote(item) for item in items]), dict(signed.headers)


def requests_config(signed, python=False):
    """What people print from requests: method, url, headers, params (signature last), data."""
    url, _, query = signed.url.partition("?")
    config = {"method": signed.method, "url": url, "headers": dict(signed.headers)}
    config.update({"params": dict(parse_qsl(query)), "data": signed.body})
    return (repr(config) if python else json.dumps(config, indent=2)), dict(signed.headers)


def har_entry(signed, answer=None, status=200, base64_content=False):
    """One entry of Chrome's "Save all as HAR with content" (models/har/Log.ts) for an HTTP/2 request."""
    parts = urlsplit(signed.url)
    headers = [{"name": ":authority", "value": parts.netloc}, {"name": ":method", "value": signed.method}]
    headers += [{"name": ":path", "value": path_and_query(signed)}, {"name": ":scheme", "value": "https"}]
    headers += [{"name": "accept", "value": "*/*"}]
    headers += [{"name": name.lower(), "value": value} for name, value in signed.headers.items()]
    text = json.dumps(answer) if answer is not None else ""
    content = {"size": len(text), "mimeType": "application/json", "text": text}
    if base64_content:
        content.update(text=base64.b64encode(text.encode()).decode(), encoding="base64")
    request = {"method": signed.method, "url": signed.url, "httpVersion": "http/2.0", "headers": headers}
    request.update(queryString=[{"name": n, "value": v} for n, v in parse_qsl(parts.query)], cookies=[])
    request.update(headersSize=-1, bodySize=len(signed.body or ""))
    if signed.body:
        request["postData"] = {"mimeType": "application/json", "text": signed.body}
    response = {"status": status, "statusText": "", "httpVersion": "http/2.0", "headers": [], "cookies": []}
    response.update(content=content, redirectURL="", headersSize=-1, bodySize=-1, _transferSize=300, _error=None)
    return {
        "_initiator": {"type": "script"},
        "_priority": "High",
        "_resourceType": "fetch",
        "cache": {},
        "request": request,
        "response": response,
        "serverIPAddress": "13.225.1.1",
        "startedDateTime": "2023-11-14T22:13:20.000Z",
        "time": 120.5,
        "timings": {"blocked": 1.2, "dns": -1, "ssl": -1, "connect": -1, "send": 0.1, "wait": 110.0, "receive": 1.5},
    }


def page_entry(url, method="GET"):
    """A non-API entry a HAR also holds: the page, a script, analytics."""
    fake = replace(SPOT_GET, method=method, url=url, headers={"accept": "text/html"}, body=None)
    return har_entry(fake, None)


def har(*entries):
    creator = {"name": "WebInspector", "version": "537.36"}
    return json.dumps({"log": {"version": "1.2", "creator": creator, "pages": [], "entries": list(entries)}}, indent=2)


def har_headers(signed):
    return {name.lower(): value for name, value in {"accept": "*/*", **signed.headers}.items()}


FORMS = {
    "http": lambda signed: raw_http(signed),
    "http, LF": lambda signed: raw_http(signed, newline="\n"),
    "http, absolute URL (Fiddler)": lambda signed: raw_http(signed, absolute=True),
    "http, HTTP/2 as devtools show it": devtools_http2,
    "har": lambda signed: (har(har_entry(signed, {"code": 0})), har_headers(signed)),
    "fetch": chrome_fetch,
    "fetch (Node.js)": lambda signed: chrome_fetch(signed, node=True),
    "powershell": chrome_powershell,
    "config": requests_config,
    "config, Python literal": lambda signed: requests_config(signed, python=True),
}
FORM_NAME = {name: name for name in ("http", "har", "fetch", "powershell", "httpie", "config")}
CASES = [(form, *request) for form in FORMS for request in REQUESTS]
IDS = [f"{form}: {request[0]}" for form, *request in CASES]


def check_read(found, signed, form, headers):
    """One request, read back exactly: method, path, raw query, headers, body, form."""
    assert len(found) == 1
    one = found[0]
    parts = urlsplit(signed.url)
    assert one.form == FORM_NAME[form.split(",")[0].split(" ")[0]]
    assert one.base_url == f"{parts.scheme}://{parts.netloc}"
    assert (one.request.method, one.request.path, one.request.query) == (signed.method, parts.path, parts.query)
    assert one.request.body == (signed.body or "")
    assert dict(one.request.headers) == headers and one.request.headers_given


@pytest.mark.parametrize(("form", "name", "signed", "broken", "cause"), CASES, ids=IDS)
def test_each_form_reads_the_request_exactly_and_the_doctor_accepts_it(form, name, signed, broken, cause):
    text, headers = FORMS[form](signed)
    check_read(recognize(text), signed, form, headers)
    diagnosis = diagnose(text, SECRET, server_time=NOW)
    assert diagnosis.verdict == "ok", str(diagnosis)
    assert diagnosis.signature_checked


@pytest.mark.parametrize(("form", "name", "signed", "broken", "cause"), CASES, ids=IDS)
def test_each_form_with_one_bug_gets_the_proven_cause(form, name, signed, broken, cause):
    text, headers = FORMS[form](broken)
    check_read(recognize(text), broken, form, headers)
    diagnosis = diagnose(text, SECRET, server_time=NOW)
    assert diagnosis.causes == [cause], str(diagnosis)
    assert diagnosis.findings[0].proven and "signature_unexplained" not in diagnosis.causes


# --- raw HTTP ---------------------------------------------------------------------------------


def test_raw_http_takes_http_from_the_request_line_and_the_answer_from_a_dump_that_shows_it():
    text, _ = raw_http(replace(SPOT_GET, url=SPOT_GET.url.replace("https://", "http://")), absolute=True)
    assert recognize(text)[0].base_url == "http://api.mexc.com"
    answer = 'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{"code":700002,"msg":"Signature for this request is not valid."}'  # noqa: E501
    request, _ = raw_http(sorted_after_signing(SPOT_POST))
    found = recognize(request + "\r\n" + answer)[0]
    assert found.answer_code == 700002 and found.request.body == ""
    headers_then_answer = f"GET {path_and_query(SPOT_GET)} HTTP/1.1\nHost: api.mexc.com\n{answer}"
    assert recognize(headers_then_answer)[0].answer_code == 700002
    assert diagnose(request + answer, SECRET, server_time=NOW).causes == ["signed_order_differs"]


def test_raw_http_without_content_length_drops_the_pastes_trailing_newline_and_without_host_assumes_mexc():
    text = f"POST {SUBMIT} HTTP/1.1\nApiKey: {KEY}\nRequest-Time: {NOW}\nSignature: {FUT_POST.signature}\n"
    text += f"Content-Type: application/json\n\n{FUT_POST.body}\n\n"
    found = recognize(text)[0]
    assert found.base_url == FUT and found.request.body == FUT_POST.body
    assert diagnose(text, SECRET, server_time=NOW).verdict == "ok"


def test_raw_http_that_is_broken_is_refused_in_one_line():
    with pytest.raises(UnusableInput, match="line 3 of the HTTP request is not a header") as refused:
        recognize(f"GET {path_and_query(SPOT_GET)} HTTP/1.1\nHost: api.mexc.com\nthis is not a header\n")
    assert "\n" not in str(refused.value)
    with pytest.raises(UnusableInput, match=":method or :path"):
        recognize(":authority: api.mexc.com\naccept: */*")


_NAMES = st.from_regex(r"x-[a-z0-9][a-z0-9-]{0,15}", fullmatch=True)
_VALUES = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(_NAMES, _VALUES.filter(lambda v: not is_redacted(v)), max_size=8), st.sampled_from(["\r\n", "\n"])
)
def test_raw_http_round_trips_any_header_names_and_values(extra, newline):
    signed = replace(SPOT_POST, headers={**SPOT_POST.headers, **extra})
    text, headers = raw_http(signed, newline)
    check_read(recognize(text), signed, "http", headers)


# --- HAR --------------------------------------------------------------------------------------


def test_har_reads_every_mexc_entry_in_order_with_its_answer_and_skips_the_rest():
    refused_spot = {"code": 700002, "msg": "Signature for this request is not valid."}
    refused_futures = {"success": False, "code": 602, "message": "Signature verification failed!"}
    preflight = replace(SPOT_POST, method="OPTIONS", body=None)
    text = har(
        page_entry("https://www.mexc.com/exchange/BTC_USDT"),
        page_entry("https://www.google-analytics.com/g/collect?v=2&tid=G-1", "POST"),
        har_entry(preflight, None, 204),
        har_entry(SPOT_POST, {"symbol": "BTCUSDT", "orderId": "C02__1", "price": "60000"}),
        har_entry(sorted_after_signing(SPOT_POST), refused_spot, 400),
        har_entry(body_reserialized(FUT_POST), refused_futures, 200, base64_content=True),
        har_entry(FUT_GET, {"success": True, "code": 0, "data": []}),
        page_entry("https://static.mexc.com/js/app.js"),
    )
    found = recognize(text)
    assert [one.form for one in found] == ["har"] * 4
    assert [one.request.path for one in found] == ["/api/v3/order", "/api/v3/order", SUBMIT, OPEN_ORDERS]
    assert [one.answer_code for one in found] == [0, 700002, 602, 0]
    assert found[2].request.body == json.dumps(FUT_ORDER) and found[2].request.header("ApiKey") == KEY
    assert len(read_requests(text)) == 4
    # Which of several requests diagnose() judges is read.py's choice; with one MEXC entry there is no choice.
    skipped = [page_entry("https://www.mexc.com/"), har_entry(preflight, None, 204)]
    assert diagnose(har(*skipped, har_entry(FUT_POST, {"code": 0})), SECRET, server_time=NOW).verdict == "ok"
    broken = har(*skipped, har_entry(body_reserialized(FUT_POST), refused_futures))
    assert diagnose(broken, SECRET, server_time=NOW).causes == ["contract_json_bytes_differ"]


def test_har_refuses_what_it_cannot_read_in_one_line():
    cases = [
        (har(page_entry("https://www.mexc.com/")), "none of this HAR file's 1 requests"),
        ('{"log": {"entries": [', "does not parse as JSON"),
        ('{"log": {"version": "1.2"}}', "no log.entries"),
        (har(*[page_entry("https://www.mexc.com/")] * 1001), "1001 requests, over the 1000"),
        ('{"log": {"entries": []}, "x": "' + "a" * 5_000_001 + '"}', "MB, over the 5 MB"),
    ]
    for text, message in cases:
        with pytest.raises(UnusableInput, match=re.escape(message)) as refused:
            recognize(text)
        assert "\n" not in str(refused.value)


# --- fetch and PowerShell ---------------------------------------------------------------------


def test_copy_all_as_fetch_and_as_powershell_give_every_request():
    fetches = " ;\n".join(chrome_fetch(signed)[0] for signed in (SPOT_POST, FUT_POST, FUT_GET))
    assert [one.request.path for one in recognize(fetches)] == ["/api/v3/order", SUBMIT, OPEN_ORDERS]
    scripts = ";\r\n".join(chrome_powershell(signed)[0] for signed in (SPOT_POST, FUT_POST, FUT_GET))
    found = recognize(scripts)
    assert [one.request.method for one in found] == ["POST", "POST", "GET"]
    assert found[1].request.body == FUT_POST.body


def test_powershell_unescapes_backticks_and_char_codes_as_chrome_writes_them():
    body = json.dumps({**FUT_ORDER, "externalOid": 'café "1" $x `y'}, separators=(",", ":"), ensure_ascii=False)
    signed = sign_futures("POST", SUBMIT, body, api_key=KEY, secret=SECRET, request_time=NOW)
    text, headers = chrome_powershell(signed)
    assert "$([char]233)" in text and "`$x" in text and "GetBytes(" in text
    check_read(recognize(text), signed, "powershell", headers)
    assert diagnose(text.replace("\n", "\r\n"), SECRET, server_time=NOW).verdict == "ok"


def test_fetch_and_powershell_that_are_broken_are_refused_in_one_line():
    js_literal = f"fetch('{SPOT_GET.url}', {{headers: {{'x-mexc-apikey': '{KEY}'}}}});"
    with pytest.raises(UnusableInput, match="Copy as fetch"):
        recognize(js_literal)
    with pytest.raises(UnusableInput, match="string that never ends"):
        recognize(f'Invoke-WebRequest -Uri "{SPOT_GET.url}')
    with pytest.raises(UnusableInput, match="no -Uri"):
        recognize("Invoke-WebRequest -Method POST")
    with pytest.raises(UnusableInput, match=re.escape("passes -headers as a variable ($headers)")):
        recognize(f'Invoke-RestMethod -Uri "{SPOT_GET.url}" -Headers $headers')


# --- httpie -----------------------------------------------------------------------------------

HTTPIE_BODY = json.dumps(FUT_ORDER)  # what httpie sends for name=value / name:=json items
HTTPIE_POST = sign_futures("POST", SUBMIT, HTTPIE_BODY, api_key=KEY, secret=SECRET, request_time=NOW)
SIGNED_COMPACT = replace(HTTPIE_POST, headers={**HTTPIE_POST.headers, "Signature": FUT_POST.signature})
HTTPIE_CASES = [
    ("spot POST", SPOT_POST, sorted_after_signing(SPOT_POST), "signed_order_differs"),
    ("spot GET", SPOT_GET, replace(SPOT_GET, url=SPOT_GET.url.replace("&signature", "&recvWindow=5000&signature")),
     "param_added_after_signing"),
    ("futures POST, signed compact", HTTPIE_POST, SIGNED_COMPACT, "contract_json_bytes_differ"),
    ("futures GET", FUT_GET, param_added(FUT_GET), "param_added_after_signing"),
]  # fmt: skip


@pytest.mark.parametrize("command", ["http", "https"])
@pytest.mark.parametrize(("name", "signed", "broken", "cause"), HTTPIE_CASES, ids=[c[0] for c in HTTPIE_CASES])
def test_httpie_reads_the_request_and_the_doctor_proves_its_bug(command, name, signed, broken, cause):
    text, headers = httpie(signed, command)
    check_read(recognize(text), signed, "httpie", headers)
    assert diagnose(text, SECRET, server_time=NOW).verdict == "ok"
    diagnosis = diagnose(httpie(broken, command)[0], SECRET, server_time=NOW)
    assert diagnosis.causes == [cause], str(diagnosis)


def test_httpie_encodes_query_items_as_requests_does_and_forms_and_headers_as_httpie_does():
    text = f"http --form POST https://api.mexc.com/api/v3/order 'memo==a b' ids==1,2 ids==3 X-MEXC-APIKEY:{KEY} "
    text += "'Accept;' price=1.5 'User-Agent:'"
    one = recognize(text)[0]
    assert one.request.query == "memo=a+b&ids=1%2C2&ids=3"  # urlencode: '+' for space, repeated names grouped
    assert one.request.body == "price=1.5"
    assert recognize(f"http --json GET {SPOT_GET.url}")[0].request.header("Content-Type") == "application/json"
    assert dict(one.request.headers) == {
        "X-MEXC-APIKEY": KEY,
        "Accept": "",
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
    }
    no_content_type = httpie(replace(SPOT_POST, headers={"X-MEXC-APIKEY": KEY}))[0]
    assert diagnose(no_content_type, SECRET, server_time=NOW).causes == ["content_type_missing"]
    with pytest.raises(UnusableInput, match="not JSON"):
        recognize("http POST https://contract.mexc.com/api/v1/private/order/submit vol:=one")


# --- request configs --------------------------------------------------------------------------


def test_config_json_body_is_serialized_as_requests_does_so_the_classic_json_bug_is_proven():
    config = {"method": "POST", "url": FUT + SUBMIT, "headers": dict(FUT_POST.headers), "json": FUT_ORDER}
    found = recognize(json.dumps(config))[0]
    assert found.request.body == json.dumps(FUT_ORDER) and found.form == "config"
    assert diagnose(json.dumps(config), SECRET, server_time=NOW).causes == ["contract_json_bytes_differ"]
    config_py = {**config, "json": None, "data": FUT_POST.body}
    assert diagnose(repr(config_py), SECRET, server_time=NOW).verdict == "ok"


def test_config_params_are_encoded_as_the_library_would_requests_by_default_axios_when_its_keys_show():
    params = {"symbol": "BTCUSDT", "orderIds": "1,2", "memo": "a b(c)", "test": True, "none": None}
    requests_style = recognize(json.dumps({"url": SPOT + "/api/v3/order?x=1", "params": params}))[0]
    assert requests_style.request.query == "x=1&symbol=BTCUSDT&orderIds=1%2C2&memo=a+b%28c%29&test=True"
    assert requests_style.request.method == "GET" and not requests_style.request.headers_given
    axios = {"url": "/api/v3/order", "baseURL": SPOT, "method": "post", "params": params, "data": {"a": 1}}
    axios_style = recognize(json.dumps({**axios, "headers": {"X-MEXC-APIKEY": KEY}}))[0]
    assert axios_style.request.query == "symbol=BTCUSDT&orderIds=1,2&memo=a+b(c)&test=true"
    assert axios_style.request.body == '{"a":1}' and axios_style.request.header("Content-Type") == "application/json"
    path_only = recognize(json.dumps({"method": "GET", "path": OPEN_ORDERS + "?symbol=BTC_USDT"}))[0]
    assert path_only.base_url == FUT


def test_config_python_literal_is_read_without_eval():
    sneaky = "{'url': 'https://api.mexc.com/api/v3/order', 'params': __import__('os').getcwd()}"
    with pytest.raises(UnusableInput, match="neither JSON nor a Python literal"):
        recognize(sneaky)
    with pytest.raises(UnusableInput, match="body is a dict"):
        recognize(json.dumps({"url": SPOT + "/api/v3/order", "body": {"a": 1}}))


# --- a URL damaged by an HTML page ------------------------------------------------------------


def test_repair_entities_puts_back_the_parameters_an_html_page_rendered_as_characters():
    query = f"symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=10&timestamp={NOW}"
    url = f"{SPOT}/api/v3/order?{query}&signature={hmac_sha256_hex(SECRET, query)}"
    damaged = url.replace("&timestamp", "×tamp").replace("&quoteOrderQty", '"eOrderQty')
    repaired, notes = repair_entities(damaged)
    assert repaired == url
    assert notes == (
        "'\"eOrderQty=' read as '&quoteOrderQty=': an HTML page rendered '&quot' as '\"'",
        "'×tamp=' read as '&timestamp=': an HTML page rendered '&times' as '×'",
    )
    assert diagnose(repaired, SECRET, server_time=NOW).verdict == "ok"
    assert diagnose(damaged, SECRET, server_time=NOW).verdict == "fail"
    curl = f"curl -X POST '{damaged}' -H 'X-MEXC-APIKEY: {KEY}' -H 'Content-Type: application/json'"
    assert diagnose(repair_entities(curl)[0], SECRET, server_time=NOW).verdict == "ok"


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("a=1¶m=2", "a=1&param=2"),
        ("a=1®ion=eu", "a=1&region=eu"),
        ("a=1©right=x", "a=1&copyright=x"),
        ("a=1¬ify=1", "a=1&notify=1"),
        ("a=1¤cy=USDT", "a=1&currency=USDT"),
        ("a=1§ion=2", "a=1&section=2"),
        ("a=1\xa0=2", "a=1&nbsp=2"),
        ("a=1&amp;timestamp=2", "a=1&timestamp=2"),
    ],
)
def test_repair_entities_knows_the_entities_browsers_expand_without_a_semicolon(damaged, repaired):
    text, notes = repair_entities(damaged)
    assert text == repaired and len(notes) == 1
    assert notes[0].startswith("'\\u00a0=' read as '&nbsp='" if "\xa0" in damaged else "'")


@pytest.mark.parametrize(
    "text", ["memo=2×3", "×tamp=1", "a price of 2×3=6 and more", "symbol=BTCUSDT&timestamp=1", "plain text", ""]
)
def test_repair_entities_leaves_values_and_other_text_alone(text):
    assert repair_entities(text) == (text, ())


# --- an error message without its request -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('ccxt.base.errors.AuthenticationError: mexc {"code":700002,"msg":"Signature for this request is not valid."}', 700002),  # noqa: E501
        ('mexc {"code":700003,"msg":"Timestamp for this request is outside of the recvWindow."}', 700003),
        ('ccxt.base.errors.AuthenticationError: mexc {"success":false,"code":602,"message":"Signature verification failed!"}', 602),  # noqa: E501
        ("pymexc.base.MexcAPIError: (code=700003): Timestamp for this request is outside of the recvWindow.", 700003),
        ("{'success': False, 'code': 602, 'message': 'Signature verification failed!'}", 602),
        ("{ code: 700002, msg: 'Signature for this request is not valid.' }", 700002),
        ('{"msg":"Mandatory parameter \'signature\' was not sent, was empty/null, or malformed.","code":700004}',
         700004),
        ("Error executing request POST https://api.mexc.com/api/v3/order. HTTP status is 400. "
         'Error: {"code":700002,"msg":"Signature for this request is not valid."}', 700002),
        ("MEXC error 700002 (HTTP 400): Signature for this request is not valid.", 700002),
        ("Signature for this request is not valid.", 700002),
        ('Traceback (most recent call last):\n  ...\nccxt.base.errors.BadRequest: mexc {"code":-2011,"msg":"Unknown order sent."}', -2011),  # noqa: E501
    ],
)  # fmt: skip
def test_error_code_only_reads_the_code_of_an_error_message(text, code):
    assert error_code_only(text) == code
    assert recognize(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "400 Client Error: Bad Request for url: " + SPOT_POST.url + ' {"code":700002}',
        chrome_fetch(SPOT_POST)[0] + '\n{"code":700002,"msg":"Signature for this request is not valid."}',
        raw_http(SPOT_POST)[0] + 'HTTP/1.1 400\r\n\r\n{"code":700002,"msg":"Signature for this request is not valid."}',
        har(har_entry(SPOT_POST, {"code": 700002, "msg": "Signature for this request is not valid."}, 400)),
        f"curl '{SPOT}/api/v3/account' -H 'x-mexc-apikey: {KEY}' # code 700002 error",
        f"fetch Request: mexc POST {FUT}{SUBMIT} RequestHeaders: {{'Request-Time': '1'}} code=602 error",
        '{"code":0,"msg":"success","data":[]}',
        '{"success": true, "code": 200}',
        "requests.exceptions.HTTPError: HTTP status code: 404 while fetching the page",
        "my bot does not work, please help",
        "",
    ],
)
def test_error_code_only_is_none_for_requests_and_for_what_is_not_an_error(text):
    assert error_code_only(text) is None


# --- what is not one of these forms ---------------------------------------------------------------

JUNK = "".join(chr(33 + (i * 7919) % 90) + (" " if i % 13 == 0 else "") for i in range(100_000))


@pytest.mark.parametrize(
    "text",
    [
        f"curl '{SPOT_POST.url}' -X POST -H 'x-mexc-apikey: {KEY}' --compressed",
        SPOT_POST.url,
        urlsplit(SPOT_POST.url).query,
        f"POST {path_and_query(SPOT_POST)}",
        json.dumps(dict(parse_qsl(urlsplit(SPOT_POST.url).query))),
        '{"code":700002,"msg":"Signature for this request is not valid."}',
        "http is what my browser speaks",
        "https error 400 again",
        "what does fetch do?",
        "the weather is fine today",
        JUNK,
        "{" + JUNK,
        "GET " + JUNK,
        "http " + JUNK[:20_000],
    ],
    ids=lambda text: text[:30],
)
def test_other_forms_and_random_text_fall_through_quickly(text):
    started = time.perf_counter()
    assert recognize(text) is None
    assert time.perf_counter() - started < 0.5


PREFIXES = ["{", '{"log":', "GET / HTTP/1.1\n", ":method: GET\n", "fetch(", "Invoke-WebRequest ", "$session "]
PREFIXES += ["http GET ", "https ", "http GET a.b ", "{'url': "]


@pytest.mark.parametrize("prefix", PREFIXES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tail=st.text(max_size=300))
def test_recognize_raises_nothing_but_unusable_input(prefix, tail):
    try:
        found = recognize(prefix + tail)
    except UnusableInput as refused:
        assert "\n" not in str(refused)
    else:
        assert found is None or all(one.form in FORM_NAME for one in found)
    repair_entities(prefix + tail)
    error_code_only(prefix + tail)


ADVERSARIAL = {
    "deep JSON in fetch": "fetch(" + "[" * 50_000,
    "deep PowerShell": "Invoke-WebRequest " + "(" * 50_000,
    "deep hashtables": "$session " + "@{" * 50_000,
    "many codes": "code=1 " * 14_000,
    "many URLs": "http://a" * 12_000,
    "many damaged boundaries": "a=1×" * 25_000,
    "many headers": "GET / HTTP/1.1\n" + "X-A: b\n" * 15_000,
    "many fetch calls": "fetch(" * 16_000,
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_input_is_read_or_refused_in_one_line_quickly(text):
    started = time.perf_counter()
    for function in (recognize, repair_entities, error_code_only):
        try:
            function(text)
        except UnusableInput as refused:
            assert "\n" not in str(refused)
    assert time.perf_counter() - started < 1.5


def test_a_sentence_that_starts_with_http_is_not_an_httpie_command():
    assert recognize("https api.mexc.com is down again") is None
    assert recognize("http://api.mexc.com/api/v3/ping") is None
