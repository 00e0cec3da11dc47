"""The local exchange's markets: three spot symbols and two futures contracts, with realistic rules.

The numbers imitate MEXC's ``/api/v3/exchangeInfo`` (precisions, minimum order value) closely
enough for orders to behave sensibly; they are not live market data.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..protocol.numbers import parse_decimal, parse_small_int


class OrderRejected(Exception):
    """A business rule refused an order after the signature was accepted."""

    def __init__(self, code: int, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class SpotSymbol:
    symbol: str
    base: str
    quote: str
    full_name: str
    base_precision: int
    quote_precision: int
    min_quote_amount: Decimal
    max_quote_amount: Decimal
    last_price: Decimal

    def to_info(self) -> dict:
        """This symbol in MEXC's exchangeInfo shape."""
        return {
            "symbol": self.symbol,
            "status": "1",
            "baseAsset": self.base,
            "baseAssetPrecision": self.base_precision,
            "quoteAsset": self.quote,
            "quotePrecision": self.quote_precision,
            "quoteAssetPrecision": self.quote_precision,
            "baseCommissionPrecision": self.base_precision,
            "quoteCommissionPrecision": self.quote_precision,
            "orderTypes": ["LIMIT", "MARKET", "LIMIT_MAKER"],
            "isSpotTradingAllowed": True,
            "isMarginTradingAllowed": False,
            "quoteAmountPrecision": str(self.min_quote_amount),
            "baseSizePrecision": str(Decimal(1).scaleb(-self.base_precision)),
            "permissions": ["SPOT"],
            "filters": [],
            "maxQuoteAmount": str(self.max_quote_amount),
            "makerCommission": "0",
            "takerCommission": "0.0005",
            "quoteAmountPrecisionMarket": str(self.min_quote_amount),
            "maxQuoteAmountMarket": "100000",
            "fullName": self.full_name,
            "tradeSideType": 1,
        }


SPOT_SYMBOLS = {
    s.symbol: s
    for s in (
        SpotSymbol("BTCUSDT", "BTC", "USDT", "Bitcoin", 6, 2, Decimal("1"), Decimal("2000000"), Decimal("64000.00")),
        SpotSymbol("ETHUSDT", "ETH", "USDT", "Ethereum", 5, 2, Decimal("1"), Decimal("2000000"), Decimal("3200.00")),
        SpotSymbol("MXUSDT", "MX", "USDT", "MX Token", 2, 4, Decimal("1"), Decimal("500000"), Decimal("2.9870")),
    )
}
FUTURES_SYMBOLS = {"BTC_USDT": Decimal("64000.0"), "ETH_USDT": Decimal("3200.00")}
SPOT_BALANCES = {"USDT": "10000", "BTC": "0.5", "ETH": "5", "MX": "1000"}
FUTURES_ASSETS = {"USDT": "5000", "BTC": "0.1"}
SIDES = ("BUY", "SELL")
# Futures order fields that are small enumerations: the values MEXC documents, and what they mean.
FUTURES_ENUMS = {
    "side": (range(1, 5), "1 (open long), 2 (close short), 3 (open short) or 4 (close long)"),
    "type": (range(1, 7), "1 to 6 (limit, post only, IOC, FOK, market, market to limit)"),
    "openType": (range(1, 3), "1 (isolated) or 2 (cross)"),
}
ORDER_TYPES = ("LIMIT", "MARKET", "LIMIT_MAKER")


def exchange_info(server_time: int, symbol: str | None = None) -> dict:
    """MEXC's ``/api/v3/exchangeInfo`` answer for all symbols, or for one."""
    chosen = [SPOT_SYMBOLS[symbol]] if symbol in SPOT_SYMBOLS else list(SPOT_SYMBOLS.values())
    return {
        "timezone": "CST",
        "serverTime": server_time,
        "rateLimits": [],
        "exchangeFilters": [],
        "symbols": [s.to_info() for s in chosen],
    }


def spot_symbol(params: dict) -> SpotSymbol:
    """The symbol an order names, or 44444/30014."""
    name = params.get("symbol")
    if not name:
        raise OrderRejected(44444, "mandatory parameter 'symbol' is missing")
    if name not in SPOT_SYMBOLS:
        raise OrderRejected(30014, f"symbol {name!r} is not traded here (spot symbols look like BTCUSDT)")
    return SPOT_SYMBOLS[name]


def _decimal(params: dict, name: str, places: int) -> Decimal | None:
    text = params.get(name)
    if text in (None, ""):
        return None
    value = parse_decimal(text)
    if value is None:
        raise OrderRejected(33333, f"{name} {text[:40]!r} is not a number")
    if value <= 0:
        raise OrderRejected(33333, f"{name} {text!r} must be a positive number")
    if -value.as_tuple().exponent > places:
        raise OrderRejected(33333, f"{name} {text!r} has more than {places} decimal places")
    return value


def check_spot_order(params: dict) -> dict:
    """Validate a spot order's business parameters; return them normalized for the order book."""
    market = spot_symbol(params)
    side, order_type = params.get("side"), params.get("type")
    for name, value, allowed in (("side", side, SIDES), ("type", order_type, ORDER_TYPES)):
        if not value:
            raise OrderRejected(44444, f"mandatory parameter {name!r} is missing")
        if value not in allowed:
            raise OrderRejected(33333, f"{name} {value!r} is not one of {', '.join(allowed)}")
    quantity = _decimal(params, "quantity", market.base_precision)
    quote_qty = _decimal(params, "quoteOrderQty", market.quote_precision)
    price = _decimal(params, "price", market.quote_precision)
    if order_type != "MARKET" and (quantity is None or price is None):
        raise OrderRejected(44444, f"a {order_type} order needs both quantity and price")
    if order_type == "MARKET" and quantity is None and quote_qty is None:
        raise OrderRejected(44444, "a MARKET order needs quantity or quoteOrderQty")
    value = quote_qty if quantity is None else quantity * (price or market.last_price)
    if value < market.min_quote_amount:
        raise OrderRejected(30002, f"order value {value} {market.quote} is below the minimum {market.min_quote_amount}")
    if value > market.max_quote_amount:
        raise OrderRejected(33333, f"order value {value} {market.quote} is above the maximum {market.max_quote_amount}")
    return {
        "symbol": market.symbol,
        "side": side,
        "type": order_type,
        "price": str(price if price is not None else market.last_price),
        "origQty": str(quantity if quantity is not None else quote_qty / market.last_price),
        "clientOrderId": params.get("newClientOrderId") or "",
    }


def check_futures_order(body: object) -> dict:
    """Validate a futures order body (JSON object); 600 for a missing or bad field, 1001 for the symbol."""
    if not isinstance(body, dict):
        raise OrderRejected(600, "the order body must be a JSON object")
    symbol = body.get("symbol")
    if not symbol or not isinstance(symbol, str):
        raise OrderRejected(600, "mandatory field 'symbol' is missing or not a string")
    if symbol not in FUTURES_SYMBOLS:
        raise OrderRejected(1001, f"contract {symbol!r} does not exist (futures symbols look like BTC_USDT)")
    fields = {}
    for name in ("price", "vol"):
        fields[name] = parse_decimal(body.get(name))
        if fields[name] is None or fields[name] <= 0:
            raise OrderRejected(600, f"field {name!r} is missing or not a positive number")
    for name, (allowed, meaning) in FUTURES_ENUMS.items():
        fields[name] = parse_small_int(body.get(name), allowed)
        if fields[name] is None:
            raise OrderRejected(600, f"field {name!r} must be {meaning}")
    external = body.get("externalOid", "")
    if not isinstance(external, (str, int)) or isinstance(external, bool) or len(str(external)) > 64:
        raise OrderRejected(600, "field 'externalOid' must be a string of at most 64 characters")
    return {
        "symbol": symbol,
        "price": float(fields["price"]),
        "vol": float(fields["vol"]),
        "side": fields["side"],
        "orderType": fields["type"],
        "openType": fields["openType"],
        "externalOid": str(external),
    }
