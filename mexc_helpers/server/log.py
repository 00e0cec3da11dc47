"""The server's records: its view of recent requests (what real MEXC never shows you), and the
exercise results a class's students report.

Each log entry holds what arrived (with the headers the rules read), the canonical string the server
rebuilt from it, the signature it expected and the one it received, and the verdict. It never holds a
secret. Both records live in the exchange's memory only: they are gone when it stops.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field

from ..extras import require
from ..protocol.request import FUTURES_HEADERS, SPOT_KEY_HEADER
from ..protocol.rules import REFUSALS
from ..protocol.verify import LogEntry

_BODY_LIMIT = 2000
_HEADER_LIMIT = 200
# The headers the rules read (the keys, the futures signature and its time, the body's type): what the doctor
# needs to judge a logged request again. None of them holds a secret (the Signature header is the HMAC's output).
LOGGED_HEADERS = (SPOT_KEY_HEADER, *FUTURES_HEADERS, "Recv-Window", "Content-Type")
EXERCISE_NAME = re.compile(r"[a-z0-9_]{1,40}")  # what the class exchange accepts as an exercise's name
MAX_EXERCISES_PER_KEY = 100
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServerLogEntry(LogEntry):
    """A log entry as the exchange keeps it: :class:`LogEntry` plus the headers the rules read (LOGGED_HEADERS)."""

    headers: dict[str, str] = field(default_factory=dict, hash=False)


def logged_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The request's headers named in LOGGED_HEADERS, as sent (each cut to a bounded length)."""
    wanted = {name.lower() for name in LOGGED_HEADERS}
    return {name: value[:_HEADER_LIMIT] for name, value in headers.items() if name.lower() in wanted}


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
    """A query or body as the log keeps it: whole up to a bounded length, else its start and its length."""
    return body if len(body) <= _BODY_LIMIT else body[:_BODY_LIMIT] + f"... ({len(body)} chars)"


def was_truncated(text: str) -> bool:
    """True if the log kept only the start of this query or body (:func:`truncate_body`)."""
    return len(text) > _BODY_LIMIT and re.search(r"\.\.\. \(\d+ chars\)\Z", text) is not None


class ExerciseResults:
    """Per registered key and exercise: attempts, whether it was ever passed, and the latest result.

    Thread-safe and bounded: a name matches EXERCISE_NAME, and a key records at most ``per_key`` exercises.
    """

    def __init__(self, per_key: int = MAX_EXERCISES_PER_KEY):
        self.per_key = per_key
        self._results: dict[str, dict[str, dict]] = {}
        self._lock = threading.Lock()

    def record(self, api_key: str, exercise: str, passed: bool) -> None:
        """Count one attempt; ValueError (one line) for a name that is not an exercise's, or one too many."""
        if not EXERCISE_NAME.fullmatch(exercise):
            raise ValueError(f"exercise {exercise[:40]!r} must be 1 to 40 characters of a-z, 0-9 and _")
        with self._lock:
            mine = self._results.setdefault(api_key, {})
            if exercise not in mine and len(mine) >= self.per_key:
                raise ValueError(f"this key has reported {self.per_key} exercises: no more are recorded")
            result = mine.setdefault(exercise, {"attempts": 0, "passed": False, "latest": False})
            result.update(attempts=result["attempts"] + 1, passed=result["passed"] or passed, latest=passed)

    def snapshot(self) -> dict[str, dict[str, dict]]:
        """``{api_key: {exercise: {"attempts": n, "passed": ever passed, "latest": the last result}}}``."""
        with self._lock:
            return {key: {name: dict(result) for name, result in mine.items()} for key, mine in self._results.items()}
