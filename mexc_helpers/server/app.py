"""The local exchange as a WSGI app: MEXC's endpoints, verified by MEXC's rules, showing its work.

It runs embedded in a notebook (:class:`mexc_helpers.server.exchange.LocalExchange`), standalone
(``mexc-lab serve``) or under any production WSGI server. Every answer is JSON in MEXC's envelope
(spot ``{"code", "msg"}``, futures ``{"success", "code", "message"}``); nothing a client sends can
make it crash or answer a 5xx for its input. A bug in the kit answers a generic 500 and logs its
traceback to the ``mexc_helpers`` logger.

Every signed request is judged by :func:`mexc_helpers.protocol.verify.verify` on a
:class:`~mexc_helpers.protocol.request.ReceivedRequest` built from the raw bytes on the wire: the
same rules and the same view of a request that the doctor uses.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
from collections import Counter
from dataclasses import asdict, replace

from werkzeug.exceptions import ClientDisconnected, HTTPException, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from ..protocol.clock import now_ms
from ..protocol.encoding import EncodingError
from ..protocol.endpoints import api_of_path
from ..protocol.envelope import refusal, success
from ..protocol.errors import CODES
from ..protocol.request import ReceivedRequest
from ..protocol.signing import check_secret
from ..protocol.verify import Verdict, looks_like_key, verify
from . import market
from .log import ExerciseResults, RequestLog, ServerLogEntry, logged_headers, truncate_body
from .market import OrderRejected
from .orders import OrderBook

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
MAX_HEADER_BYTES = 64 * 1024  # the request line and headers together (class server)
CLIENT_TIMEOUT_S = 10  # a client silent this long while sending a request is dropped
REQUEST_DEADLINE_S = 30  # the longest a request (line, headers and body) may take to arrive
MAX_CONNECTIONS = 1000  # open connections the class server accepts at once
MAX_CANCEL_IDS = 50  # MEXC's batch limit for POST /api/v1/private/order/cancel
OPEN_ORDERS_PATH = "/api/v1/private/order/list/open_orders"
# A lab's own request (a widget's, built by the kit) says so with this header; the class statistics
# count it apart from the students' own attempts. It is not signed: it only sorts the instructor's counts.
DEMO_HEADER = "X-Lab-Demo"
EXERCISE_PATH = "/lab/exercise"  # a student's exercise result (signed like a spot POST): exercise=NAME&passed=true

# (method, path, endpoint): public endpoints, then spot signed, futures signed, the class's views.
ROUTES = (
    ("GET", "/api/v3/ping", "ping"),
    ("GET", "/api/v3/time", "time"),
    ("GET", "/api/v3/exchangeInfo", "exchange_info"),
    ("GET", "/api/v1/contract/ping", "futures_ping"),
    ("GET", "/api/v3/account", "spot:account"),
    ("POST", "/api/v3/order/test", "spot:test_order"),
    ("POST", "/api/v3/order", "spot:place_order"),
    ("GET", "/api/v3/order", "spot:get_order"),
    ("DELETE", "/api/v3/order", "spot:cancel_order"),
    ("GET", "/api/v3/openOrders", "spot:open_orders"),
    ("DELETE", "/api/v3/openOrders", "spot:cancel_all"),
    ("POST", "/api/v3/capital/withdraw", "spot:withdraw"),
    ("GET", "/api/v1/private/account/assets", "futures:assets"),
    ("POST", "/api/v1/private/order/submit", "futures:submit"),
    ("POST", "/api/v1/private/order/cancel", "futures:cancel"),
    ("GET", OPEN_ORDERS_PATH, "futures:open_orders"),
    ("GET", OPEN_ORDERS_PATH + "/<symbol>", "futures:open_orders"),
    ("GET", "/lab/stats", "lab:stats"),
    ("GET", "/lab/log", "lab:log"),
    ("POST", EXERCISE_PATH, "lab:exercise"),
)
URL_MAP = Map(
    [Rule(path, methods=[method], endpoint=endpoint) for method, path, endpoint in ROUTES],
    strict_slashes=False,
    merge_slashes=False,
)


class ExchangeApp:
    """MEXC's spot V3 and futures endpoints, in memory, for any number of API keys."""

    def __init__(
        self,
        keys=None,
        *,
        clock=now_ms,
        clock_offset_ms: int = 0,
        log_size: int = 200,
        max_orders: int = 500,
        instructor_token: str | None = None,
        on_request=None,
    ):
        # With a token (class mode), /lab/stats is the instructor's alone; without, the single user's.
        self.instructor_token = instructor_token
        self._keys: dict[str, str] = {}
        self._keys_lock = threading.Lock()
        for api_key, secret in dict(keys or {}).items():
            self.add_key(api_key, secret)
        self.clock = clock
        self.clock_offset_ms = clock_offset_ms
        self.log = RequestLog(log_size, on_record=on_request)
        self.stats: Counter[tuple[str, int]] = Counter()  # (registered api key, code) -> requests; bounded by keys
        self.demo_stats: Counter[tuple[str, int]] = Counter()  # the same, for requests a lab sent (DEMO_HEADER)
        self._stats_lock = threading.Lock()
        self.orders = OrderBook(max_orders)
        self.exercises = ExerciseResults()  # the results the students' checks report (EXERCISE_PATH)
        self._public = {
            "ping": lambda params: {},
            "time": lambda params: {"serverTime": self.server_time()},
            "exchange_info": lambda params: market.exchange_info(self.server_time(), params.get("symbol")),
            "futures_ping": lambda params: success("futures", self.server_time()),
        }
        self._spot = {
            "spot:account": self._account,
            "spot:test_order": self._test_order,
            "spot:place_order": self._place_order,
            "spot:get_order": lambda key, params, now: self.orders.get_spot(key, params),
            "spot:cancel_order": lambda key, params, now: self.orders.cancel_spot(key, params, now),
            "spot:open_orders": lambda key, params, now: self.orders.open_spot(key, params.get("symbol")),
            "spot:cancel_all": self._cancel_all,
            "spot:withdraw": self._withdraw,
        }
        self._futures = {
            "futures:assets": self._assets,
            "futures:submit": self._submit,
            "futures:cancel": self._cancel_futures,
            "futures:open_orders": self._open_futures,
        }

    def add_key(self, api_key: str, secret: str) -> None:
        """Register a key pair; the key must look like MEXC's (8-64 ASCII letters and digits)."""
        if not isinstance(api_key, str) or not looks_like_key(api_key):
            raise ValueError("api_key must be 8-64 ASCII letters and digits, like MEXC's mx0... keys")
        check_secret(secret)
        with self._keys_lock:
            self._keys[api_key] = secret

    def secret_for(self, api_key: str) -> str | None:
        with self._keys_lock:
            return self._keys.get(api_key)

    @property
    def api_keys(self) -> list[str]:
        with self._keys_lock:
            return list(self._keys)

    def server_time(self) -> int:
        """The exchange's clock: the injected clock shifted by ``clock_offset_ms``."""
        return self.clock() + self.clock_offset_ms

    def __call__(self, environ, start_response):
        request = Request(environ)
        request.max_content_length = MAX_BODY_BYTES
        try:
            status, payload = self._dispatch(request)
            body = json.dumps(payload, separators=(",", ":"), allow_nan=False)
        except Exception as exc:  # the outer edge: a bug in the kit must not take the exchange down
            logger.exception("internal error answering %s %s", request.method, request.path)
            status, body = 500, json.dumps(refusal(api_of_path(request.path) or "spot", 500, CODES[500].message))
            self._record(request, b"", Verdict("spot", 500, f"internal error: {type(exc).__name__}", "internal"), 500)
        return Response(body, status=status, mimetype="application/json")(environ, start_response)

    def _dispatch(self, request: Request):
        try:
            endpoint, arguments = URL_MAP.bind_to_environ(request.environ).match()
        except HTTPException:  # no such path, or not with this method
            return self._local_error(request, 404, f"no endpoint {request.method} {request.path} on the local exchange")
        try:
            body = request.get_data()
        except RequestEntityTooLarge:
            return self._local_error(request, 413, f"body over {MAX_BODY_BYTES} bytes")
        except (OSError, ClientDisconnected):  # the body stalled, or stopped short of its Content-Length
            return self._local_error(request, 408, "the body did not arrive whole in time")
        if endpoint == "lab:stats":  # the class's views are not logged themselves
            return self._instructor_view(request)
        if endpoint == "lab:log":
            return self._key_log(request, body)
        if endpoint == "lab:exercise":
            return self._exercise(request, body)
        public = self._public.get(endpoint)
        if public is not None:
            try:
                params = _received(request, body).params
            except EncodingError as error:
                return self._local_error(request, 700008, str(error))
            self._record(request, body, Verdict("spot", 0, "public endpoint: no signature needed"), 200)
            return 200, public(params)
        now = self.server_time()
        verdict = verify(_received(request, body), secret_for=self.secret_for, server_time=now)
        if endpoint in self._spot:
            return self._answer_spot(request, body, verdict, self._spot[endpoint], now)
        return self._answer_futures(request, body, verdict, self._futures[endpoint], now, arguments.get("symbol"))

    def _local_error(self, request, code, reason):
        """An answer of the kit's own (404, 408, 413...), in the envelope of the API the path belongs to."""
        api, status = api_of_path(request.path) or "spot", CODES[code].http_status
        self._record(request, b"", Verdict(api, code, reason, "local"), status)
        return status, refusal(api, code, CODES[code].message)

    def _answer_spot(self, request, body, verdict: Verdict, handler, now):
        if verdict.accepted:
            try:
                payload = handler(verdict.api_key, verdict.params, now)
            except OrderRejected as rejected:
                verdict = replace(verdict, code=rejected.code, reason=rejected.reason, cause="business")
        self._record(request, body, verdict, verdict.http_status)
        if verdict.accepted:
            return 200, success("spot", payload)
        return verdict.http_status, refusal("spot", verdict.code, verdict.msg)

    def _answer_futures(self, request, body, verdict: Verdict, handler, now, path_symbol):
        if verdict.accepted:
            try:
                data = handler(verdict.api_key, verdict.params, now, path_symbol)
            except OrderRejected as rejected:
                verdict = replace(verdict, code=rejected.code, reason=rejected.reason, cause="business")
        self._record(request, body, verdict, verdict.http_status)
        if verdict.accepted:
            return 200, success("futures", data)
        return verdict.http_status, refusal("futures", verdict.code, verdict.msg)

    def key_stats(self) -> dict:
        """Requests per registered key and answer code, the students' own apart from the labs' demos, and the
        exercise results each key reported: ``{"keys": {api_key: {"0": 12, "700002": 3}}, "labs": {api_key:
        {"10211": 3}}, "exercises": {api_key: {"sign": {"attempts": 2, "passed": true, "latest": true}}}}``."""
        with self._stats_lock:
            counts = {"keys": list(self.stats.items()), "labs": list(self.demo_stats.items())}
        answer: dict[str, dict] = {}
        for name, items in counts.items():
            answer[name] = {key: {} for key in self.api_keys}
            for (api_key, code), count in items:
                answer[name].setdefault(api_key, {})[str(code)] = count
        answer["exercises"] = {key: {} for key in self.api_keys} | self.exercises.snapshot()
        return answer

    def _instructor_view(self, request):
        """``/lab/stats``: in class mode only with ``Authorization: Bearer <instructor token>``."""
        if self.instructor_token is not None:
            given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), self.instructor_token.encode()):
                return 403, refusal("spot", 403, CODES[403].message)
        return 200, self.key_stats()

    def _key_log(self, request, body):
        """``/lab/log``: the server's view of a key's last requests, only for a request signed with that key.

        It is signed like any spot GET (timestamp and signature in the query), so only the key's owner
        reads what the server expected: nobody can borrow a classmate's key and read its signatures.
        """
        verdict = verify(_received(request, body), secret_for=self.secret_for, server_time=self.server_time())
        if not verdict.accepted:
            return verdict.http_status, refusal("spot", verdict.code, verdict.msg)
        return 200, [asdict(entry) for entry in self.log.entries(api_key=verdict.api_key)[-20:]]

    def _exercise(self, request, body):
        """``POST /lab/exercise?exercise=NAME&passed=true|false``: a student's exercise result, recorded only for a
        request signed with a registered key's secret (like any spot POST). Not logged, like the other views."""
        verdict = verify(_received(request, body), secret_for=self.secret_for, server_time=self.server_time())
        if not verdict.accepted:
            return verdict.http_status, refusal("spot", verdict.code, verdict.msg)
        exercise, passed = verdict.params.get("exercise"), verdict.params.get("passed")
        if not exercise or not passed:
            missing = "exercise" if not exercise else "passed"
            return CODES[44444].http_status, refusal("spot", 44444, f"mandatory parameter {missing!r} is missing")
        if passed not in ("true", "false"):
            return CODES[33333].http_status, refusal("spot", 33333, f"passed {passed[:20]!r} must be true or false")
        try:
            self.exercises.record(verdict.api_key, exercise, passed == "true")
        except ValueError as error:
            return CODES[33333].http_status, refusal("spot", 33333, str(error))
        return 200, {}

    def _record(self, request, body, verdict: Verdict, http_status: int) -> None:
        demo = bool(request.headers.get(DEMO_HEADER))
        if verdict.api_key is not None and self.secret_for(verdict.api_key) is not None:
            with self._stats_lock:
                (self.demo_stats if demo else self.stats)[(verdict.api_key, verdict.code)] += 1
        entry = ServerLogEntry(
            server_time=self.server_time(),
            method=request.method,
            path=request.path,
            query=truncate_body(request.environ.get("QUERY_STRING", "").encode("latin-1").decode("utf-8", "replace")),
            body=truncate_body(body.decode("utf-8", "replace")),
            api="futures" if api_of_path(request.path) == "futures" else verdict.api,
            api_key=verdict.api_key,
            signed_string=verdict.signed_string,
            expected_signature=verdict.expected_signature,
            received_signature=verdict.received_signature,
            code=verdict.code,
            msg=verdict.msg,
            http_status=http_status,
            reason=verdict.reason,
            cause=verdict.cause,
            demo=demo,
            headers=logged_headers(request.headers),
        )
        self.log.record(entry)

    # Spot business endpoints: (api_key, params, server_time) -> payload, or raise OrderRejected.

    def _account(self, api_key, params, now):
        balances = [{"asset": asset, "free": free, "locked": "0"} for asset, free in market.SPOT_BALANCES.items()]
        return {
            "makerCommission": 0,
            "takerCommission": 0,
            "buyerCommission": 0,
            "sellerCommission": 0,
            "canTrade": True,
            "canWithdraw": False,
            "canDeposit": True,
            "updateTime": None,
            "accountType": "SPOT",
            "balances": balances,
            "permissions": ["SPOT"],
        }

    def _test_order(self, api_key, params, now):
        market.check_spot_order(params)
        return {}

    def _place_order(self, api_key, params, now):
        return self.orders.place_spot(api_key, market.check_spot_order(params), now)

    def _cancel_all(self, api_key, params, now):
        return self.orders.cancel_all_spot(api_key, market.spot_symbol(params).symbol, now)

    def _withdraw(self, api_key, params, now):
        raise OrderRejected(10211, "withdrawals are forbidden on the local exchange: 10211 is not a signature error")

    # Futures business endpoints: (api_key, params, server_time, path_symbol) -> data.

    def _assets(self, api_key, params, now, path_symbol):
        return [
            {
                "currency": currency,
                "positionMargin": 0,
                "frozenBalance": 0,
                "availableBalance": float(amount),
                "cashBalance": float(amount),
                "equity": float(amount),
                "unrealized": 0,
            }
            for currency, amount in market.FUTURES_ASSETS.items()
        ]

    def _submit(self, api_key, body, now, path_symbol):
        return self.orders.place_futures(api_key, market.check_futures_order(body), now)

    def _cancel_futures(self, api_key, body, now, path_symbol):
        if not isinstance(body, list) or not 0 < len(body) <= MAX_CANCEL_IDS or not all(_order_id(i) for i in body):
            raise OrderRejected(
                600, f"the body must be a JSON list of 1 to {MAX_CANCEL_IDS} order ids, like [739113577038255616]"
            )
        return self.orders.cancel_futures(api_key, body, now)

    def _open_futures(self, api_key, params, now, path_symbol):
        return self.orders.open_futures(api_key, path_symbol or params.get("symbol"))


def _order_id(value: object) -> bool:
    """An order id as clients send it: digits, as a JSON number or a short string."""
    return (type(value) is int and 0 <= value < 10**20) or (type(value) is str and 0 < len(value) <= 32)


def _received(request: Request, body: bytes) -> ReceivedRequest:
    """The request as the rules read it: the raw query bytes sent (PEP 3333), the raw body, the headers."""
    query = request.environ.get("QUERY_STRING", "").encode("latin-1")
    return ReceivedRequest(request.method, request.path, query, body, request.headers)
