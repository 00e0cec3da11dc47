"""What HTTP libraries print about a request, read by mexc_helpers.doctor.forms.dumps.

Every sample is laid out as the library prints it, checked against its source or its documented output
and against output captured from the library itself (requests 2.34 with urllib3 2.8, curl 7.88, axios
1.x on Node 20, Guzzle 7.4 on PHP 8.2, the JDK 17 HttpClient, Go 1.19's httputil; OkHttp from
HttpLoggingInterceptor.kt, .NET from HttpRequestMessage.ToString in dotnet/runtime). The requests are
signed here with hmac and MEXC's public example key pair, not with the kit's signer: one of each reader's
samples is right (the doctor finds nothing), one has a known bug the doctor must prove, with a fix in the
paste's language.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import quote, urlsplit

import pytest

from mexc_helpers.doctor import diagnose
from mexc_helpers.doctor.encoders import ENCODE_URI_COMPONENT, HTTP_BUILD_QUERY
from mexc_helpers.doctor.forms import dumps, recognize
from mexc_helpers.doctor.pasted import UnusableInput
from tests.conftest import DOCS_KEY as KEY
from tests.conftest import DOCS_SECRET as SECRET
from tests.conftest import NOW
from tests.doctor import test_doctor_forms as other_forms

HOST = "api.mexc.com"
SPOT = f"https://{HOST}"
FUT = "https://contract.mexc.com"
ORDER = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "0.001"), ("price", "60000")]
SPOT_700002 = '{"code":700002,"msg":"Signature for this request is not valid."}'
FUTURES_602 = '{"success":false,"code":602,"message":"Signature verification failed!"}'
PLACED = '{"symbol":"BTCUSDT","orderId":"C02__443776347957968896","orderListId":-1,"price":"60000","origQty":"0.001"}'


def sign(payload: str) -> str:
    return hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()


def canonical(value: str) -> str:
    return quote(value, safe="-_.~")


def spot_query(pairs, encode=canonical, sent=None) -> str:
    """The query sent: ``pairs`` encoded, timestamp last, signed as ``sent`` or as sent."""
    signed = "&".join(f"{k}={encode(str(v))}" for k, v in [*pairs, ("timestamp", NOW)])
    shown = signed if sent is None else sent
    return f"{shown}&signature={sign(signed)}"


def futures_body(order: dict, sent: str | None = None) -> tuple[str, str]:
    """(body sent, Signature header): the compact JSON signed with the key and the request time."""
    signed = json.dumps(order, separators=(",", ":"))
    return sent or signed, sign(f"{KEY}{NOW}{signed}")


FUT_ORDER = {"symbol": "BTC_USDT", "price": 60000, "vol": 1, "side": 1, "type": 1, "openType": 1}


def check(text, *, form, method, path, query=None, headers=None, body="", code=None, language, base=SPOT):
    """One request read back exactly, and only by its own reader."""
    found = recognize(text)
    assert found is not None and len(found) >= 1
    one = found[0]
    assert (one.form, one.language, one.base_url) == (form, language, base)
    assert (one.request.method, one.request.path) == (method, path)
    if query is not None:
        assert one.request.query == query
    if headers is not None:
        shown = {name.lower(): value for name, value in one.request.headers.items()}
        assert {name.lower(): value for name, value in headers.items()}.items() <= shown.items()
    else:
        assert not one.request.headers_given
    assert one.request.body == body
    assert one.answer_code == code
    return one


# --- 1. Python: http.client's debug output and urllib3's DEBUG log ------------------------------------


def http_client_log(method, path, query, headers, body="", answer=PLACED, status="200 OK", host=HOST) -> str:
    """``logging.basicConfig(level=DEBUG)`` + ``HTTPConnection.debuglevel = 1``, as requests 2.34 prints it."""
    target = path + (f"?{query}" if query else "")
    head = [f"{method} {target} HTTP/1.1", f"Host: {host}", "User-Agent: python-requests/2.34.2"]
    head += ["Accept-Encoding: gzip, deflate", "Accept: */*", "Connection: keep-alive"]
    head += [f"{name}: {value}" for name, value in headers.items()] + [f"Content-Length: {len(body.encode())}"]
    lines = [f"DEBUG:urllib3.connectionpool:Starting new HTTPS connection (1): {host}:443"]
    lines.append("send: " + repr(("\r\n".join(head) + "\r\n\r\n").encode()))
    if body:
        lines.append("send: " + repr(body.encode()))
    lines.append(f"reply: 'HTTP/1.1 {status}\\r\\n'")
    lines += ["header: Date: Tue, 14 Nov 2023 22:13:20 GMT", "header: Content-Type: application/json"]
    lines.append(f'DEBUG:urllib3.connectionpool:https://{host}:443 "{method} {target} HTTP/1.1" {status[:3]} 98')
    lines.append(answer)
    return "\n".join(lines)


def test_http_client_log_reads_what_went_on_the_wire_and_the_doctor_accepts_it():
    query = spot_query(ORDER)
    headers = {"X-MEXC-APIKEY": KEY, "Content-Type": "application/json"}
    text = http_client_log("POST", "/api/v3/order", query, headers)
    check(
        text,
        form="http.client",
        method="POST",
        path="/api/v3/order",
        query=query,
        headers={**headers, "Content-Length": "0"},
        code=0,
        language="Python",
    )
    assert diagnose(text, SECRET, server_time=NOW).causes == ["ok"]


def test_http_client_log_of_requests_json_proves_the_reserialized_futures_body():
    body, signature = futures_body(FUT_ORDER, sent=json.dumps(FUT_ORDER))  # requests' json= adds spaces
    headers = {"ApiKey": KEY, "Request-Time": str(NOW), "Signature": signature, "Content-Type": "application/json"}
    text = http_client_log("POST", "/api/v1/private/order/submit", "", headers, body, FUTURES_602, host=HOST)
    text = text.replace(HOST, "contract.mexc.com")
    check(
        text,
        form="http.client",
        method="POST",
        path="/api/v1/private/order/submit",
        query="",
        headers=headers,
        body=body,
        code=602,
        language="Python",
        base=FUT,
    )
    diagnosis = diagnose(text, SECRET, server_time=NOW)
    assert diagnosis.causes == ["contract_json_bytes_differ"], str(diagnosis)
    assert "json=" in diagnosis.findings[0].fix  # the fix in Python: data=body, not json=


def test_urllib3_log_alone_gives_method_url_and_status_without_headers():
    query = spot_query(ORDER)
    text = (
        f"DEBUG:urllib3.connectionpool:Starting new HTTPS connection (1): {HOST}:443\n"
        f'DEBUG:urllib3.connectionpool:https://{HOST}:443 "POST /api/v3/order?{query} HTTP/1.1" 400 64\n'
    )
    check(text, form="http.client", method="POST", path="/api/v3/order", query=query, language="Python")


# --- 2. Python: a REPL session -------------------------------------------------------------------------


def repl(url, headers, body=None, answer=SPOT_700002, status=400, call="requests.post(url, headers=headers)"):
    """A trader's python session: the request's attributes printed as the REPL shows them (repr)."""
    shown = {"User-Agent": "python-requests/2.31.0", "Accept-Encoding": "gzip, deflate", "Accept": "*/*"}
    shown |= {"Connection": "keep-alive", **headers, "Content-Length": str(len(body or ""))}
    return "\n".join(
        [
            ">>> import requests",
            f">>> r = {call}",
            ">>> r",
            f"<Response [{status}]>",
            ">>> r.request.url",
            repr(url),
            ">>> r.request.headers",
            repr(shown),
            ">>> r.request.body",
            *([repr(body)] if body is not None else []),
            ">>> r.json()",
            repr(json.loads(answer)),
            ">>> ",
        ]
    )


def test_python_session_reads_the_request_attributes_and_the_doctor_accepts_them():
    query = spot_query([("symbol", "BTCUSDT")])
    url = f"{SPOT}/api/v3/openOrders?{query}"
    text = repl(url, {"X-MEXC-APIKEY": KEY}, answer="[]", status=200, call="requests.get(url, headers=headers)")
    check(
        text,
        form="python",
        method="GET",
        path="/api/v3/openOrders",
        query=query,
        headers={"X-MEXC-APIKEY": KEY},
        code=0,
        language="Python",
    )
    assert diagnose(text, SECRET, server_time=NOW).causes == ["ok"]


def test_python_session_with_the_query_sorted_after_signing_is_proven():
    signed = spot_query(ORDER)
    pairs = signed.split("&")
    sent = "&".join(sorted(pairs[:-1]) + pairs[-1:])
    headers = {"X-MEXC-APIKEY": KEY, "Content-Type": "application/json"}
    text = repl(f"{SPOT}/api/v3/order?{sent}", headers, call="s.request('POST', url)")
    check(
        text,
        form="python",
        method="POST",
        path="/api/v3/order",
        query=sent,
        code=700002,
        language="Python",
        headers={"X-MEXC-APIKEY": KEY},
    )
    assert diagnose(text, SECRET, server_time=NOW).causes == ["signed_order_differs"]


# --- 3. Python: requests' HTTPError ----------------------------------------------------------------------


def traceback(url, code_line="r.raise_for_status()") -> str:
    return f"""Traceback (most recent call last):
  File "/home/trader/bot/main.py", line 57, in <module>
    {code_line}
  File "/home/trader/.venv/lib/python3.11/site-packages/requests/models.py", line 1024, in raise_for_status
    raise HTTPError(http_error_msg, response=self)
requests.exceptions.HTTPError: 400 Client Error: Bad Request for url: {url}"""


def test_requests_error_infers_the_method_and_proves_a_parameter_added_after_signing():
    signed = spot_query(ORDER)
    sent = signed.replace("&signature=", "&recvWindow=5000&signature=")
    text = traceback(f"{SPOT}/api/v3/order?{sent}")
    one = check(text, form="requests-error", method="POST", path="/api/v3/order", query=sent, language="Python")
    assert "inferred" in one.method_note
    assert diagnose(text, SECRET, server_time=NOW).causes == ["param_added_after_signing"]


def test_requests_error_takes_the_method_its_code_shows():
    query = spot_query([("symbol", "BTCUSDT"), ("orderId", "123")])
    text = traceback(f"{SPOT}/api/v3/order?{query}", "requests.delete(url, headers=h).raise_for_status()")
    one = check(text, form="requests-error", method="DELETE", path="/api/v3/order", query=query, language="Python")
    assert one.method_note is None
    assert diagnose(text, SECRET, server_time=NOW).causes == ["ok"]


# --- 4. Node.js: console.log of an axios error --------------------------------------------------------


def inspect_string(text: str, indent: str) -> str:
    """A string as util.inspect prints it: single quotes, split after each \\r\\n into '...' + lines."""
    pieces = [piece for piece in text.replace("\r\n", "\r\n\x00").split("\x00") if piece]
    quoted = [
        "'" + piece.replace("\\", "\\\\").replace("'", "\\'").replace("\r", "\\r").replace("\n", "\\n") + "'"
        for piece in pieces
    ]
    return f" +\n{indent}".join(quoted)


def axios_error(
    url,
    path_and_query,
    headers,
    data="undefined",
    answer="{ code: 700002, msg: 'Signature for this request is not valid.' }",
    status=400,
    reason="Bad Request",
) -> str:
    """console.log(err) of an AxiosError, as axios 1.x on Node 20 prints it (util.inspect, depth 2)."""
    header_lines = ",\n".join(
        f"      {name if name.isidentifier() else repr(name)}: {value!r}" for name, value in headers.items()
    )
    wire = f"POST {path_and_query} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    wire += f"Host: {urlsplit(url).netloc}\r\nConnection: keep-alive\r\n\r\n"
    return f"""AxiosError: Request failed with status code {status}
    at settle (/home/trader/bot/node_modules/axios/dist/node/axios.cjs:2019:12)
    at IncomingMessage.handleStreamEnd (/home/trader/bot/node_modules/axios/dist/node/axios.cjs:3135:11)
    at IncomingMessage.emit (node:events:529:35)
    at endReadableNT (node:internal/streams/readable:1400:12)
    at process.processTicksAndRejections (node:internal/process/task_queues:82:21)
    at Axios.request (/home/trader/bot/node_modules/axios/dist/node/axios.cjs:4287:41)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
    at async placeOrder (/home/trader/bot/index.js:31:5) {{
  code: 'ERR_BAD_REQUEST',
  config: {{
    transitional: {{
      silentJSONParsing: true,
      forcedJSONParsing: true,
      clarifyTimeoutError: false
    }},
    adapter: [ 'xhr', 'http', 'fetch' ],
    transformRequest: [ [Function: transformRequest] ],
    transformResponse: [ [Function: transformResponse] ],
    timeout: 0,
    xsrfCookieName: 'XSRF-TOKEN',
    xsrfHeaderName: 'X-XSRF-TOKEN',
    maxContentLength: -1,
    maxBodyLength: -1,
    env: {{ FormData: [Function [FormData]], Blob: [class Blob] }},
    validateStatus: [Function: validateStatus],
    headers: Object [AxiosHeaders] {{
{header_lines}
    }},
    method: 'post',
    url: {url!r},
    data: {data}
  }},
  request: <ref *1> ClientRequest {{
    _events: [Object: null prototype] {{
      abort: [Function (anonymous)],
      finish: [Function: requestOnFinish]
    }},
    _eventsCount: 7,
    outputData: [],
    _contentLength: 0,
    _hasBody: true,
    _trailer: '',
    finished: true,
    socket: TLSSocket {{
      _tlsOptions: [Object],
      _secureEstablished: true,
      _events: [Object],
      [Symbol(res)]: [TLSWrap],
      [Symbol(kSetNoDelay)]: false
    }},
    _header: {inspect_string(wire, "      ")},
    _keepAliveTimeout: 0,
    _onPendingData: [Function: nop],
    agent: Agent {{
      defaultPort: 443,
      protocol: 'https:',
      options: [Object: null prototype],
      ... 10 more items
    }},
    method: 'POST',
    path: {path_and_query!r},
    res: IncomingMessage {{
      statusCode: {status},
      statusMessage: {reason!r},
      req: [Circular *1],
      responseUrl: {url!r},
      redirects: [],
      [Symbol(kHeaders)]: [Object],
      [Symbol(kHeadersCount)]: 16
    }},
    host: {urlsplit(url).hostname!r},
    protocol: 'https:',
    [Symbol(kNeedDrain)]: false
  }},
  response: {{
    status: {status},
    statusText: {reason!r},
    headers: Object [AxiosHeaders] {{
      date: 'Tue, 14 Nov 2023 22:13:20 GMT',
      'content-type': 'application/json'
    }},
    config: {{
      transitional: [Object],
      adapter: [Array],
      headers: [Object [AxiosHeaders]],
      method: 'post',
      url: {url!r},
      data: {data}
    }},
    request: <ref *1> ClientRequest {{
      _header: [Getter],
      res: [IncomingMessage],
      [Symbol(kOutHeaders)]: [Object: null prototype]
    }},
    data: {answer}
  }}
}}"""


def test_axios_error_proves_encode_uri_component_and_names_it_not_python():
    pairs = [*ORDER, ("newClientOrderId", "my bot (1)")]
    query = spot_query(pairs, encode=ENCODE_URI_COMPONENT.encode)  # signed my%20bot%20(1); MEXC rebuilds %281%29
    url = f"{SPOT}/api/v3/order?{query}"
    headers = {
        "Accept": "application/json, text/plain, */*",
        "Content-Type": "application/json",
        "X-MEXC-APIKEY": KEY,
        "User-Agent": "axios/1.6.8",
    }
    text = axios_error(url, f"/api/v3/order?{query}", headers)
    check(
        text,
        form="axios",
        method="POST",
        path="/api/v3/order",
        query=query,
        headers={"X-MEXC-APIKEY": KEY},
        code=700002,
        language="JavaScript",
    )
    diagnosis = diagnose(text, SECRET, server_time=NOW)
    assert diagnosis.causes == ["encoding_unescaped"], str(diagnosis)
    fix = diagnosis.findings[0].fix
    assert "encodeURIComponent" in fix and "Python" not in fix and "urllib" not in fix


def test_axios_config_with_base_url_and_params_is_encoded_as_axios_does():
    query = spot_query([("symbol", "BTCUSDT")])
    params = dict(pair.split("=") for pair in query.split("&"))
    shown = ", ".join(f"{k}: {v if v.isdigit() else repr(v)}" for k, v in params.items())
    text = f"""[Object: null prototype] {{
  transitional: {{
    silentJSONParsing: true,
    forcedJSONParsing: true,
    clarifyTimeoutError: false
  }},
  adapter: [ 'xhr', 'http', 'fetch' ],
  transformRequest: [ [Function: transformRequest] ],
  transformResponse: [ [Function: transformResponse] ],
  timeout: 0,
  xsrfCookieName: 'XSRF-TOKEN',
  xsrfHeaderName: 'X-XSRF-TOKEN',
  maxContentLength: -1,
  maxBodyLength: -1,
  env: {{
    FormData: [Function: FormData] {{
      LINE_BREAK: '\\r\\n',
      DEFAULT_CONTENT_TYPE: 'application/octet-stream'
    }},
    Blob: [class Blob]
  }},
  validateStatus: [Function: validateStatus],
  headers: Object [AxiosHeaders] {{
    Accept: 'application/json, text/plain, */*',
    'X-MEXC-APIKEY': '{KEY}',
    'User-Agent': 'axios/1.6.8',
    'Accept-Encoding': 'gzip, compress, deflate, br'
  }},
  baseURL: 'https://api.mexc.com',
  params: {{
    {shown}
  }},
  method: 'get',
  url: '/api/v3/openOrders',
  allowAbsoluteUrls: true,
  data: undefined
}}"""
    check(
        text,
        form="axios",
        method="GET",
        path="/api/v3/openOrders",
        query=query,
        headers={"X-MEXC-APIKEY": KEY},
        language="JavaScript",
    )
    assert diagnose(text, SECRET, server_time=NOW).causes == ["ok"]


# --- 5. Java: OkHttp's HttpLoggingInterceptor ---------------------------------------------------------


def okhttp_log(prefix, url, headers, body, answer, status="200", level="BODY") -> str:
    """Level BODY (or HEADERS) as HttpLoggingInterceptor.kt logs it, each message behind ``prefix``."""
    messages = [f"--> POST {url}", *(f"{k}: {v}" for k, v in headers.items())]
    if level == "BODY":
        messages += ["", body, f"--> END POST ({len(body.encode())}-byte body)"]
    else:
        messages += ["--> END POST"]
    messages += [f"<-- {status} {url} (85ms)", "content-type: application/json", "date: Tue, 14 Nov 2023 22:13:20 GMT"]
    messages += ["", answer, f"<-- END HTTP ({len(answer)}-byte body)"]
    return "\n".join(prefix(number) + message for number, message in enumerate(messages))


def logcat(number: int) -> str:
    return f"2023-11-14 22:13:20.{100 + number:03d}  4312-4388  okhttp.OkHttpClient     com.trader.bot  I  "


def jul(number: int) -> str:
    return f"Nov 14, 2023 10:13:{20 + number // 10:02d} PM okhttp3.internal.platform.Platform log\nINFO: "


def test_okhttp_body_log_behind_logcat_prefixes_is_read_and_accepted():
    query = spot_query(ORDER)
    url = f"{SPOT}/api/v3/order?{query}"
    headers = {"Content-Type": "application/json; charset=utf-8", "Content-Length": "0", "X-MEXC-APIKEY": KEY}
    text = okhttp_log(logcat, url, headers, "", PLACED)
    check(
        text, form="okhttp", method="POST", path="/api/v3/order", query=query, headers=headers, code=0, language="Java"
    )
    assert diagnose(text, SECRET, server_time=NOW).causes == ["ok"]


def test_okhttp_java_logging_log_proves_a_futures_body_signed_in_another_key_order():
    reordered = dict(sorted(FUT_ORDER.items()))
    body, _ = futures_body(FUT_ORDER)
    _, signature = futures_body(reordered)  # signed the keys sorted, sent them in the order built
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": str(len(body)),
        "ApiKey": KEY,
        "Request-Time": str(NOW),
        "Signature": signature,
    }
    text = okhttp_log(jul, f"{FUT}/api/v1/private/order/submit", headers, body, FUTURES_602)
    check(
        text,
        form="okhttp",
        method="POST",
        path="/api/v1/private/order/submit",
        query="",
        headers=headers,
        body=body,
        code=602,
        language="Java",
        base=FUT,
    )
    diagnosis = diagnose(text, SECRET, server_time=NOW)
    assert diagnosis.causes == ["contract_json_bytes_differ"], str(diagnosis)
    assert "key order" in diagnosis.findings[0].fix


def test_okhttp_headers_log_of_a_request_with_a_body_is_refused_not_judged_without_it():
    body, signature = futures_body(FUT_ORDER)
    headers = {"Content-Length": str(len(body)), "ApiKey": KEY, "Request-Time": str(NOW), "Signature": signature}
    text = okhttp_log(
        lambda n: "D/OkHttp: ", f"{FUT}/api/v1/private/order/submit", headers, body, FUTURES_602, level="HEADERS"
    )
    with pytest.raises(UnusableInput, match="Level.BODY"):
        recognize(text)


# --- 6. Java: java.net.http.HttpClient's log ---------------------------------------------------------


def jdk_log(method, url, headers, answer=None, status=400) -> str:
    """``-Djdk.httpclient.HttpClient.log=requests,headers`` over HTTPS, java.util.logging's default format."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    head = [
        f"{method} {target} HTTP/1.1",
        "Content-Length: 0",
        f"Host: {parts.netloc}",
        "User-Agent: Java-http-client/17.0.9",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    stamp = "Nov 14, 2023 10:13:20 PM jdk.internal.net.http."
    lines = [
        f"{stamp}Http1Request headers",
        f"INFO: REQUEST: {url} {method}",
        f"{stamp}Http1Request logHeaders",
        "INFO: HEADERS: REQUEST HEADERS:",
        *head,
        "",
        f"{stamp}Http1Response lambda$readHeadersAsync$0",
        "INFO: HEADERS: RESPONSE HEADERS:",
        "    content-type: application/json",
        "",
        f"{stamp}Exchange lambda$wrapForLog$13",
        f"INFO: RESPONSE: ({method} {url}) {status} HTTP_1_1 Local port:  52144",
    ]
    return "\n".join(lines + ([f"{status} {answer}"] if answer else []))


def test_jdk_httpclient_log_is_read_with_the_answer_the_program_printed():
    query = spot_query([("symbol", "BTCUSDT"), ("orderId", "C02__443776347957968896")])
    text = jdk_log("GET", f"{SPOT}/api/v3/order?{query}", {"X-MEXC-APIKEY": KEY}, PLACED, 200)
    check(
        text,
        form="jdk-httpclient",
        method="GET",
        path="/api/v3/order",
        query=query,
        headers={"X-MEXC-APIKEY": KEY, "Content-Length": "0"},
        code=0,
        language="Java",
    )
    assert diagnose(text, SECRET, server_time=NOW).causes == ["ok"]


def test_jdk_httpclient_log_of_a_request_with_a_body_is_refused():
    text = jdk_log("POST", f"{FUT}/api/v1/private/order/submit", {"ApiKey": KEY}).replace(
        "Content-Length: 0", "Content-Length: 97"
    )
    with pytest.raises(UnusableInput, match="97-byte body"):
        recognize(text)


# --- 7. curl -v and PHP Guzzle's debug output --------------------------------------------------------------


def curl_verbose(method, path_and_query, headers, answer, status="400 Bad Request", guzzle=False) -> str:
    """curl 7.88's -v (every header line behind "> "), or libcurl under Guzzle (only the request line)."""
    out = [
        "*   Trying 13.225.103.12:443...",
        f"* Connected to {HOST} (13.225.103.12) port 443 (#0)",
        "* ALPN: offers h2,http/1.1",
        "* SSL connection using TLSv1.3 / TLS_AES_128_GCM_SHA256",
    ]
    head = [f"{method} {path_and_query} HTTP/1.1", f"Host: {HOST}", *(f"{k}: {v}" for k, v in headers.items())]
    out += [(line if guzzle and number else f"> {line}") for number, line in enumerate(head)]
    out += ["" if guzzle else "> ", f"< HTTP/1.1 {status}", "< Content-Type: application/json", "< ", answer]
    out.append(f"* Connection #0 to host {HOST} left intact")
    return "\r\n".join(out)


def test_curl_verbose_is_read_as_shell_and_accepted():
    query = spot_query(ORDER)
    headers = {"User-Agent": "curl/8.4.0", "Accept": "*/*", "X-MEXC-APIKEY": KEY, "Content-Type": "application/json"}
    text = curl_verbose("POST", f"/api/v3/order?{query}", headers, PLACED, "200 OK")
    check(
        text,
        form="curl-verbose",
        method="POST",
        path="/api/v3/order",
        query=query,
        headers=headers,
        code=0,
        language="Shell",
    )
    assert diagnose(text, SECRET, server_time=NOW).causes == ["ok"]


def test_curl_verbose_takes_the_body_it_does_not_show_from_the_command_pasted_with_it():
    body, signature = futures_body(FUT_ORDER)
    command = (
        f"$ curl -v '{FUT}/api/v1/private/order/submit' \\\n  -H 'ApiKey: {KEY}' -H 'Request-Time: {NOW}' \\\n"
        f"  -H 'Signature: {signature}' -H 'Content-Type: application/json' \\\n  -d '{body}'\n"
    )
    headers = {
        "user-agent": "curl/8.4.0",
        "apikey": KEY,
        "request-time": str(NOW),
        "signature": signature,
        "content-type": "application/json",
        "content-length": str(len(body)),
    }
    output = curl_verbose("POST", "/api/v1/private/order/submit", headers, FUTURES_602, "200").replace(
        HOST, "contract.mexc.com"
    )
    check(
        command + output,
        form="curl-verbose",
        method="POST",
        path="/api/v1/private/order/submit",
        query="",
        headers=headers,
        body=body,
        code=602,
        language="Shell",
        base=FUT,
    )
    assert diagnose(command + output, SECRET, server_time=NOW).causes == ["ok"]
    with pytest.raises(UnusableInput, match="does not show the .*-byte body"):
        recognize(output)


def test_guzzle_debug_proves_http_build_query_and_names_it():
    pairs = [*ORDER, ("newClientOrderId", "grid bot 7")]
    query = spot_query(pairs, encode=HTTP_BUILD_QUERY.encode)
    headers = {
        "Content-Length": "0",
        "User-Agent": "GuzzleHttp/7",
        "X-MEXC-APIKEY": KEY,
        "Content-Type": "application/json",
    }
    text = curl_verbose("POST", f"/api/v3/order?{query}", headers, "", guzzle=True)
    text += (
        f"\nPHP Fatal error:  Uncaught GuzzleHttp\\Exception\\ClientException: Client error: `POST {SPOT}/api/v3/"
        f"order?{query}` resulted in a `400 Bad Request` response:\n{SPOT_700002}\n in /var/www/bot/vendor/"
        "guzzlehttp/guzzle/src/Exception/RequestException.php:113"
    )
    check(
        text,
        form="curl-verbose",
        method="POST",
        path="/api/v3/order",
        query=query,
        headers=headers,
        code=700002,
        language="PHP",
    )
    diagnosis = diagnose(text, SECRET, server_time=NOW)
    assert diagnosis.causes == ["encoding_plus_for_space"], str(diagnosis)
    assert "http_build_query" in diagnosis.findings[0].fix


def test_guzzle_error_alone_gives_method_url_and_answer():
    query = spot_query([("symbol", "BTCUSDT"), ("orderId", "123")])
    text = (
        f"GuzzleHttp\\Exception\\ClientException: Client error: `DELETE {SPOT}/api/v3/order?{query}` resulted "
        f"in a `400 Bad Request` response:\n{SPOT_700002}\n in /app/vendor/guzzlehttp/guzzle/src/Exception/"
        "RequestException.php:113\nStack trace:\n#0 /app/vendor/guzzlehttp/guzzle/src/Middleware.php(69): ..."
    )
    check(text, form="guzzle-error", method="DELETE", path="/api/v3/order", query=query, code=700002, language="PHP")


# --- 8. .NET: HttpRequestMessage.ToString() ----------------------------------------------------------------


def dotnet(method, uri, headers, content="<null>", after="") -> str:
    """Console.WriteLine(request) then (response), as dotnet/runtime's ToString and DumpHeaders write them."""
    lines = [f"Method: {method}, RequestUri: '{uri}', Version: 1.1, Content: {content}, Headers:", "{"]
    lines += [f"  {k}: {v}" for k, v in headers.items()] + ["}"]
    return "\n".join(lines) + after


def test_dotnet_request_and_response_are_read_and_accepted():
    query = spot_query([("symbol", "BTCUSDT")])
    after = (
        "\nStatusCode: 200, ReasonPhrase: 'OK', Version: 1.1, Content: System.Net.Http.HttpConnectionResponse"
        "Content, Headers:\n{\n  Date: Tue, 14 Nov 2023 22:13:20 GMT\n  Content-Type: application/json\n}\n" + PLACED
    )
    text = dotnet("GET", f"{SPOT}/api/v3/openOrders?{query}", {"X-MEXC-APIKEY": KEY}, after=after)
    check(
        text,
        form="dotnet",
        method="GET",
        path="/api/v3/openOrders",
        query=query,
        headers={"X-MEXC-APIKEY": KEY},
        code=0,
        language="C#",
    )
    assert diagnose(text, SECRET, server_time=NOW).causes == ["ok"]


def test_dotnet_uppercase_signature_is_proven_with_the_fix_in_csharp():
    body, signature = futures_body(FUT_ORDER)
    headers = {
        "ApiKey": KEY,
        "Request-Time": str(NOW),
        "Signature": signature.upper(),
        "Content-Type": "application/json; charset=utf-8",
    }
    text = dotnet("POST", "/api/v1/private/order/submit", headers, "System.Net.Http.StringContent", f"\n{body}")
    check(
        text,
        form="dotnet",
        method="POST",
        path="/api/v1/private/order/submit",
        query="",
        headers=headers,
        body=body,
        language="C#",
        base=FUT,
    )
    diagnosis = diagnose(text, SECRET, server_time=NOW)
    assert diagnosis.causes == ["signature_uppercase"], str(diagnosis)
    assert "ToLowerInvariant" in diagnosis.findings[0].fix


def test_dotnet_request_uri_printed_unescaped_is_escaped_again_and_said_so():
    text = dotnet(
        "GET",
        f"{SPOT}/api/v3/order?symbol=BTCUSDT&origClientOrderId=my bot&timestamp={NOW}&signature=" + "a" * 64,
        {"X-MEXC-APIKEY": KEY},
    )
    one = recognize(text)[0]
    assert "origClientOrderId=my%20bot" in one.request.query and one.repairs


# --- 9. Go: httputil.DumpRequestOut(req, true) ---------------------------------------------------------------


def go_dump(method, path_and_query, headers, body="", chunked=False) -> str:
    """DumpRequestOut's bytes: Host, User-Agent, Content-Length (or chunked) first, then the header map sorted
    by canonical name (X-Mexc-Apikey), Accept-Encoding last."""
    head = [f"{method} {path_and_query} HTTP/1.1", f"Host: {HOST}", "User-Agent: Go-http-client/1.1"]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body.encode())}")
    head += [f"{k}: {v}" for k, v in sorted(headers.items())] + ["Accept-Encoding: gzip"]
    sent = f"{len(body.encode()):x}\r\n{body}\r\n0\r\n\r\n" if chunked else body
    return "\r\n".join(head) + "\r\n\r\n" + sent


def test_go_dump_with_canonical_header_names_is_read_as_go_and_accepted():
    query = spot_query(ORDER)
    text = go_dump("POST", f"/api/v3/order?{query}", {"X-Mexc-Apikey": KEY, "Content-Type": "application/json"})
    text += "\n\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + PLACED
    check(
        text,
        form="http",
        method="POST",
        path="/api/v3/order",
        query=query,
        headers={"X-MEXC-APIKEY": KEY},
        code=0,
        language="Go",
    )
    assert diagnose(text, SECRET, server_time=NOW).causes == ["ok"]


def test_go_dump_quoted_by_percent_q_with_a_chunked_body_is_put_back_together():
    body, signature = futures_body(FUT_ORDER)
    headers = {"Apikey": KEY, "Request-Time": str(NOW), "Signature": signature, "Content-Type": "application/json"}
    dump = go_dump("POST", "/api/v1/private/order/submit", headers, body, chunked=True)
    text = "2023/11/14 22:13:20 " + json.dumps(dump)  # log.Printf("%q", dump): Go quotes as JSON does here
    one = check(
        text,
        form="http",
        method="POST",
        path="/api/v1/private/order/submit",
        query="",
        body=body,
        headers={"ApiKey": KEY, "Signature": signature},
        language="Go",
    )
    assert one.base_url == SPOT  # Host: api.mexc.com as dumped
    assert diagnose(text, SECRET, server_time=NOW).causes == ["ok"]


# --- no false readings, hostile input ------------------------------------------------------------------

SAMPLES = {
    "http.client": lambda: http_client_log("POST", "/api/v3/order", spot_query(ORDER), {"X-MEXC-APIKEY": KEY}),
    "python": lambda: repl(f"{SPOT}/api/v3/order?{spot_query(ORDER)}", {"X-MEXC-APIKEY": KEY}),
    "requests-error": lambda: traceback(f"{SPOT}/api/v3/order?{spot_query(ORDER)}"),
    "axios": lambda: axios_error(
        f"{SPOT}/api/v3/order?{spot_query(ORDER)}", f"/api/v3/order?{spot_query(ORDER)}", {"X-MEXC-APIKEY": KEY}
    ),
    "okhttp": lambda: okhttp_log(
        logcat, f"{SPOT}/api/v3/order?{spot_query(ORDER)}", {"X-MEXC-APIKEY": KEY}, "", PLACED
    ),
    "jdk-httpclient": lambda: jdk_log("GET", f"{SPOT}/api/v3/order?{spot_query(ORDER)}", {"X-MEXC-APIKEY": KEY}),
    "curl-verbose": lambda: curl_verbose("POST", f"/api/v3/order?{spot_query(ORDER)}", {"X-MEXC-APIKEY": KEY}, PLACED),
    "dotnet": lambda: dotnet("POST", f"{SPOT}/api/v3/order?{spot_query(ORDER)}", {"X-MEXC-APIKEY": KEY}),
    "http": lambda: go_dump("POST", f"/api/v3/order?{spot_query(ORDER)}", {"X-Mexc-Apikey": KEY}),
}


@pytest.mark.parametrize("form", SAMPLES)
def test_each_sample_is_read_by_its_own_reader_only(form):
    text = SAMPLES[form]()
    readers = [reader for reader, _ in dumps._READERS if reader(text)]
    assert len(readers) == 1 and readers[0](text)[0].form == form


@pytest.mark.parametrize("form", other_forms.FORMS)
def test_the_other_forms_are_left_to_their_readers(form):
    for _, signed, _, _ in other_forms.REQUESTS:
        text, _ = other_forms.FORMS[form](signed)
        assert dumps.recognize(text) is None


@pytest.mark.parametrize("form", SAMPLES)
def test_cut_short_samples_are_read_or_refused_in_one_line(form):
    text = SAMPLES[form]()
    for end in range(0, len(text), max(1, len(text) // 97)):
        try:
            found = recognize(text[:end])
        except UnusableInput as refused:
            assert "\n" not in str(refused)
        else:
            assert found is None or all(one.request.method for one in found)


HOSTILE = {
    "huge header": "> POST /api/v3/order?a=1 HTTP/1.1\n> X-A: " + "b" * 3_000_000,
    "many curl lines": "> GET / HTTP/1.1\n" * 20_000,
    "many sends": "send: b'GET / HTTP/1.1\\r\\n'\n" * 20_000,
    "deep axios": "AxiosError: x {\n  url: 'a',\n  config: " + "{ a: " * 20_000,
    "open quotes": "AxiosError {\n  url: '" + "a" * 1_000_000,
    "okhttp arrows": "--> POST https://a/b\n" * 20_000 + "<-- 400 https://a/b (1ms)\n",
    "jdk requests": "INFO: REQUEST: https://a/b GET\nINFO: HEADERS: REQUEST HEADERS:\n" * 10_000,
    "dotnet": "Method: GET, RequestUri: '" + "a" * 1_000_000,
    "prompts": ">>> r.request.url\n" * 30_000,
    "errors": "400 Client Error: x for url: " * 30_000,
    "go quoted": '"POST / HTTP/1.1\\r\\n' + "\\x" * 500_000,
    "no request": "DEBUG:urllib3.connectionpool:Starting new HTTPS connection (1): api.mexc.com:443\n" * 1000,
}


@pytest.mark.timeout(30)  # a bound against a catastrophic regex, not a speed target
@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_is_read_or_refused(text):
    try:
        dumps.recognize(text)
    except UnusableInput as refused:
        assert "\n" not in str(refused)
