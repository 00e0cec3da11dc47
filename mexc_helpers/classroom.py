"""Classroom mode: one shared local exchange for a workshop, a key pair per student, and the
instructor's view of who is stuck on what.

    python -m mexc_helpers serve --class 30 --keys-out keys.csv --host 0.0.0.0

serves the exchange with waitress (a production WSGI server in pure Python, on every OS, with a
thread pool) and writes ``keys.csv`` (student, api_key, secret_key) to hand out. Students set
``MEXC_LAB_URL``, ``MEXC_API_KEY`` and ``MEXC_SECRET_KEY``; the instructor's dashboard reads
``/lab/stats``.
"""

from __future__ import annotations

import csv
import os
import secrets
import string
from urllib.parse import urlsplit

import requests

from .app import ExchangeApp
from .errors import CODES

_KEY_ALPHABET = string.ascii_letters + string.digits


def issue_keys(count: int) -> list[tuple[str, str, str]]:
    """``count`` distinct (student, api_key, secret_key) triples, random and shaped like MEXC's."""
    if not isinstance(count, int) or not 1 <= count <= 500:
        raise ValueError(f"a class has 1 to 500 students, not {count!r}")
    keys = set()
    while len(keys) < count:
        keys.add("mx0" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(15)))
    width = len(str(count))
    return [(f"student{n:0{width}d}", key, secrets.token_hex(16)) for n, key in enumerate(sorted(keys), start=1)]


def write_keys_csv(path: str, keys: list[tuple[str, str, str]]) -> None:
    """Write the keys to hand out, with columns student, api_key, secret_key."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "api_key", "secret_key"])
        writer.writerows(keys)


def read_keys_csv(path: str) -> list[tuple[str, str, str]]:
    """Read a keys file written by :func:`write_keys_csv` (one-line ValueError if it is not one)."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if not rows or rows[0] != ["student", "api_key", "secret_key"]:
        raise ValueError(f"{path} is not a keys file: expected the columns student,api_key,secret_key")
    return [tuple(row) for row in rows[1:] if len(row) == 3]


def class_app(keys: list[tuple[str, str, str]], log_size: int = 5000) -> ExchangeApp:
    """The exchange app with every student's key registered (and no default key)."""
    return ExchangeApp({api_key: secret for _, api_key, secret in keys}, log_size=log_size)


CAUSES = {
    0: "accepted",
    700002: "bad signature",
    700003: "timestamp window",
    700004: "signature missing",
    700005: "recvWindow too large",
    602: "futures signature",
    513: "futures time",
    700008: "illegal characters",
}


def cause_name(code: int) -> str:
    """A short column name for an answer code."""
    return CAUSES.get(code) or (f"{code} {CODES[code].message}" if code in CODES else str(code))


def stats_frame(stats: dict, keys: list[tuple[str, str, str]]):
    """``/lab/stats`` as a pandas DataFrame: one row per student, a column per answer, most common first."""
    import pandas as pd

    names = {api_key: student for student, api_key, _ in keys}
    rows = []
    for api_key, counts in stats.get("keys", {}).items():
        row = {"student": names.get(api_key, api_key)}
        for code, count in counts.items():
            row[cause_name(int(code))] = count
        rows.append(row)
    frame = pd.DataFrame(rows).fillna(0)
    if frame.empty:
        return pd.DataFrame(columns=["student", "accepted"])
    columns = [c for c in frame.columns if c != "student"]
    ordered = sorted(columns, key=lambda c: (c != "accepted", -frame[c].sum(), c))
    frame[ordered] = frame[ordered].astype(int)
    return frame[["student", *ordered]].sort_values("student").reset_index(drop=True)


def fetch_stats(base_url: str) -> dict:
    """The class exchange's ``/lab/stats``."""
    return requests.get(f"{base_url.rstrip('/')}/lab/stats", timeout=10).json()


class _RemoteLog:
    """The class exchange's view of this key's requests, read from ``/lab/log``."""

    def __init__(self, exchange: RemoteExchange):
        self._exchange = exchange

    @property
    def last(self):
        from .serverlog import LogEntry

        entries = self._exchange.session.get(
            f"{self._exchange.base_url}/lab/log", timeout=10, headers={"X-MEXC-APIKEY": self._exchange.api_key}
        ).json()
        return LogEntry(**entries[-1]) if entries else None


class RemoteExchange:
    """A class exchange seen from a student's notebook: the same attributes the labs use on a LocalExchange."""

    running = True

    def __init__(self, base_url: str, api_key: str, secret_key: str):
        # Plain http is allowed here (unlike MexcClient): a class exchange on the class network, with throwaway keys.
        if urlsplit(base_url).scheme not in ("http", "https"):
            raise ValueError(f"MEXC_LAB_URL {base_url!r} is not an http(s) URL, like http://192.168.1.10:8080")
        self.base_url, self.api_key, self._secret = base_url.rstrip("/"), api_key, secret_key
        self.session = requests.Session()
        self.log = _RemoteLog(self)

    @classmethod
    def from_env(cls) -> RemoteExchange:
        """MEXC_LAB_URL with MEXC_API_KEY / MEXC_SECRET_KEY (the row of keys.csv the instructor handed out)."""
        from .client import credentials_from_env

        return cls(os.environ["MEXC_LAB_URL"], *credentials_from_env())

    @property
    def secret_key(self) -> str:
        return self._secret

    def server_time(self) -> int:
        return int(self.session.get(f"{self.base_url}/api/v3/time", timeout=10).json()["serverTime"])

    def __repr__(self) -> str:
        return f"<RemoteExchange {self.base_url} api_key={self.api_key!r} secret_key='***'>"
