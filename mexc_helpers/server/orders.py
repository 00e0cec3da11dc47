"""Orders held in memory, per API key: thread-safe and bounded, so place/query/cancel behave sensibly.

Limit orders rest until cancelled; market orders fill at once. Each key keeps at most
``max_orders`` orders; the oldest closed ones go first, then the oldest open ones.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict

from .market import OrderRejected


def _spot_open(order: dict) -> bool:
    return order["status"] == "NEW"


def _futures_open(order: dict) -> bool:
    return order["state"] == 2  # MEXC futures order state 2: uncompleted


class OrderBook:
    """Every key's spot and futures orders, behind one lock."""

    def __init__(self, max_orders: int = 500):
        self.max_orders = max_orders
        self._lock = threading.Lock()
        self._books: dict[tuple[str, str], OrderedDict[str, dict]] = {}
        self._ids = itertools.count(1)

    def _book(self, api_key: str, api: str) -> OrderedDict[str, dict]:
        return self._books.setdefault((api_key, api), OrderedDict())

    def _trim(self, book: OrderedDict[str, dict], is_open) -> None:
        while len(book) > self.max_orders:
            closed = next((oid for oid, order in book.items() if not is_open(order)), None)
            book.pop(closed if closed is not None else next(iter(book)))

    def place_spot(self, api_key: str, order: dict, now: int) -> dict:
        """Store a validated spot order; answer as MEXC's POST /api/v3/order does."""
        with self._lock:
            order_id = f"C02__{next(self._ids):012d}"
            filled = order["type"] == "MARKET"
            stored = dict(
                order,
                orderId=order_id,
                orderListId=-1,
                status="FILLED" if filled else "NEW",
                executedQty=order["origQty"] if filled else "0",
                time=now,
                updateTime=now,
                isWorking=not filled,
            )
            book = self._book(api_key, "spot")
            book[order_id] = stored
            self._trim(book, _spot_open)
        fields = ("symbol", "orderId", "orderListId", "price", "origQty", "type", "side")
        return {**{name: stored[name] for name in fields}, "transactTime": now}

    def _find_spot(self, book: OrderedDict[str, dict], params: dict) -> dict:
        order_id, client_id = params.get("orderId"), params.get("origClientOrderId")
        if not order_id and not client_id:
            raise OrderRejected(44444, "send orderId or origClientOrderId")
        for order in book.values():
            if order["symbol"] == params.get("symbol") and (
                order["orderId"] == order_id or (client_id and order["clientOrderId"] == client_id)
            ):
                return order
        raise OrderRejected(-2011, "no order with that id for this symbol and key")

    def get_spot(self, api_key: str, params: dict) -> dict:
        """One order by orderId or origClientOrderId (-2011 if unknown)."""
        with self._lock:
            return dict(self._find_spot(self._book(api_key, "spot"), params))

    def cancel_spot(self, api_key: str, params: dict, now: int) -> dict:
        """Cancel one open order (-2011 if unknown or already closed)."""
        with self._lock:
            order = self._find_spot(self._book(api_key, "spot"), params)
            if not _spot_open(order):
                raise OrderRejected(-2011, f"order {order['orderId']} is already {order['status']}")
            order.update(status="CANCELED", isWorking=False, updateTime=now)
            return dict(order)

    def open_spot(self, api_key: str, symbol: str | None) -> list[dict]:
        """Open spot orders, oldest first, for one symbol or all."""
        with self._lock:
            return [
                dict(order)
                for order in self._book(api_key, "spot").values()
                if _spot_open(order) and symbol in (None, order["symbol"])
            ]

    def cancel_all_spot(self, api_key: str, symbol: str, now: int) -> list[dict]:
        """Cancel every open order of a symbol; answer the cancelled orders."""
        with self._lock:
            cancelled = []
            for order in self._book(api_key, "spot").values():
                if _spot_open(order) and order["symbol"] == symbol:
                    order.update(status="CANCELED", isWorking=False, updateTime=now)
                    cancelled.append(dict(order))
            return cancelled

    def place_futures(self, api_key: str, order: dict, now: int) -> str:
        """Store a validated futures order; answer its id as POST /api/v1/private/order/submit does."""
        with self._lock:
            order_id = str(700_000_000_000 + next(self._ids))
            book = self._book(api_key, "futures")
            book[order_id] = dict(order, orderId=order_id, state=2, createTime=now, updateTime=now, dealVol=0)
            self._trim(book, _futures_open)
        return order_id

    def open_futures(self, api_key: str, symbol: str | None) -> list[dict]:
        """Open futures orders (state 2 = uncompleted), for one symbol or all."""
        with self._lock:
            return [
                dict(order)
                for order in self._book(api_key, "futures").values()
                if _futures_open(order) and symbol in (None, order["symbol"])
            ]

    def cancel_futures(self, api_key: str, order_ids: list, now: int) -> list[dict]:
        """Cancel futures orders by id; one result per id, as MEXC answers."""
        results = []
        with self._lock:
            book = self._book(api_key, "futures")
            for order_id in order_ids:
                order = book.get(str(order_id))
                if order is None or not _futures_open(order):
                    results.append({"orderId": order_id, "errorCode": 2040, "errorMsg": "order not exist"})
                    continue
                order.update(state=4, updateTime=now)
                results.append({"orderId": order_id, "errorCode": 0, "errorMsg": "success"})
        return results
