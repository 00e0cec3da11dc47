"""The server's view of recent requests: what real MEXC never shows you.

Each entry holds what arrived, the canonical string the server rebuilt from it, the signature it
expected and the one it received, and the verdict. It never holds a secret.
"""

from __future__ import annotations

import html
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict

from ..extras import require
from ..protocol.rules import REFUSALS
from ..protocol.verify import LogEntry

_BODY_LIMIT = 2000
logger = logging.getLogger(__name__)


def request_line(entry: LogEntry) -> str:
    """One request as ``mexc-lab serve`` prints it: time, method, path, HTTP status, the verdict, and for a
    refusal its code, the rule that decided and where docs/protocol.md explains it."""
    when = time.strftime("%H:%M:%S", time.localtime(entry.server_time / 1000))
    line = f"{when} {entry.method} {entry.path} {entry.http_status} {entry.answer}"
    if entry.accepted:
        return line
    rule = REFUSALS.get(entry.api, {}).get(entry.cause)
    return f"{line} {entry.cause}" + (f" {rule.link}" if rule else "")


class RequestLog:
    """A bounded, thread-safe list of the last ``maxlen`` entries, oldest first.

    ``on_record`` is called with each entry as it is recorded (``mexc-lab serve`` prints it); whatever it
    raises is the caller's bug and is not allowed to stop the exchange answering.
    """

    def __init__(self, maxlen: int = 200, on_record: Callable[[LogEntry], None] | None = None):
        self._entries: deque[LogEntry] = deque(maxlen=maxlen)
        self._lock = threading.Lock()
        self._on_record = on_record

    @property
    def maxlen(self) -> int:
        return self._entries.maxlen

    def record(self, entry: LogEntry) -> None:
        with self._lock:
            self._entries.append(entry)
        if self._on_record is not None:
            try:
                self._on_record(entry)
            except Exception:  # a closed terminal must not take the exchange down with it
                logger.exception("on_record failed for %s %s", entry.method, entry.path)

    def entries(self, api_key: str | None = None) -> list[LogEntry]:
        """A snapshot of the entries, optionally only one API key's."""
        with self._lock:
            return [e for e in self._entries if api_key is None or e.api_key == api_key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    @property
    def last(self) -> LogEntry | None:
        with self._lock:
            return self._entries[-1] if self._entries else None

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self):
        return iter(self.entries())

    def __getitem__(self, index):
        return self.entries()[index]

    def to_frame(self):
        """The entries as a pandas DataFrame, one row per request."""
        pd = require("pandas", "lab", "RequestLog.to_frame()")
        columns = list(LogEntry.__dataclass_fields__)
        return pd.DataFrame([asdict(e) for e in self.entries()], columns=columns)

    def __repr__(self) -> str:
        return f"<RequestLog {len(self)} of at most {self.maxlen} entries>"

    def _repr_html_(self) -> str:
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{html.escape(str(cell))}</td>"
                for cell in (
                    e.method,
                    e.path,
                    e.answer,
                    e.reason,
                    e.signed_string or "",
                    e.expected_signature or "",
                    e.received_signature or "",
                )
            )
            + "</tr>"
            for e in self.entries()
        )
        head = "".join(
            f"<th>{name}</th>"
            for name in ("method", "path", "answer", "reason", "server signed", "expected", "received")
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def truncate_body(body: str) -> str:
    return body if len(body) <= _BODY_LIMIT else body[:_BODY_LIMIT] + f"... ({len(body)} chars)"
