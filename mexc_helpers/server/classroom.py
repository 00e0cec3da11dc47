"""Classroom mode: one shared local exchange for a workshop, a key pair per student, and the
instructor's view of who is stuck on what.

    mexc-lab serve --class 30 --host 0.0.0.0

serves the exchange with waitress (a production WSGI server in pure Python, on every OS, with a
thread pool) and writes ``keys.csv`` (student, api_key, secret_key) to hand out, readable by its
owner only, in a per-user folder outside the repository (:func:`default_keys_path`);
``--keys-in keys.csv`` restarts a class with the keys it already handed out. Students set
``MEXC_LAB_URL``, ``MEXC_CLASS_NETWORK=1``, ``MEXC_API_KEY`` and ``MEXC_SECRET_KEY``; the
instructor's dashboard reads ``/lab/stats``.
"""

from __future__ import annotations

import contextlib
import csv
import os
import pathlib
import secrets
import socket
import string

from ..extras import require
from .app import CLIENT_TIMEOUT_S, MAX_BODY_BYTES, MAX_CONNECTIONS, MAX_HEADER_BYTES, ExchangeApp

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


def default_keys_path() -> pathlib.Path:
    """Where a class's keys go unless told: ``$XDG_DATA_HOME/mexc-lab/keys.csv`` (``~/.local/share`` by default)."""
    data_home = os.environ.get("XDG_DATA_HOME") or pathlib.Path.home() / ".local" / "share"
    return pathlib.Path(data_home) / "mexc-lab" / "keys.csv"


def write_keys_csv(path: str | os.PathLike, keys: list[tuple[str, str, str]]) -> None:
    """Write the keys to hand out (columns student, api_key, secret_key), readable by the owner only."""
    pathlib.Path(path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "api_key", "secret_key"])
        writer.writerows(keys)


def read_keys_csv(path: str | os.PathLike) -> list[tuple[str, str, str]]:
    """Read a keys file written by :func:`write_keys_csv` (one-line ValueError if it is not one)."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read the keys file {path}: {getattr(error, 'strerror', None) or error}") from None
    if not rows or rows[0] != ["student", "api_key", "secret_key"]:
        raise ValueError(f"{path} is not a keys file: expected the columns student,api_key,secret_key")
    keys = [tuple(row) for row in rows[1:] if len(row) == 3]
    if not keys:
        raise ValueError(f"{path} holds no keys: expected rows of student,api_key,secret_key")
    return keys


def find_keys_file(name: str | os.PathLike, start: str | os.PathLike = ".") -> pathlib.Path:
    """The keys file ``name`` (MEXC_CLASS_KEYS), made absolute: as given if absolute, else the first found
    in ``start``, its parent folders (a notebook runs in ``notebooks/instructor``, the server was
    started at the repository's root) or the default keys folder. One-line ValueError if none."""
    path = pathlib.Path(name).expanduser()
    start = pathlib.Path(start).resolve()
    candidates = [path] if path.is_absolute() else [folder / path for folder in (start, *start.parents)]
    candidates.append(default_keys_path().parent / path.name)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise ValueError(
        f"no keys file {name} in {start} or its parent folders: set MEXC_CLASS_KEYS to the absolute path "
        "that `mexc-lab serve --class` printed"
    )


def reachable_addresses(host: str) -> list[str]:
    """Addresses students can use for a server listening on ``host``: this machine's network (IPv4)
    addresses for 0.0.0.0 or ::, most likely first; else ``host`` itself. Empty if it has none."""
    if host not in ("0.0.0.0", "::", ""):
        return [host]
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe, contextlib.suppress(OSError):
        probe.connect(("192.0.2.1", 9))  # the address the default route leaves from (a UDP connect sends nothing)
        found.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        found += [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    return [address for address in dict.fromkeys(found) if not address.startswith("127.")]


def class_app(
    keys: list[tuple[str, str, str]], log_size: int = 5000, *, token: str | None = None, on_request=None
) -> ExchangeApp:
    """The exchange app with every student's key registered (and no default key).

    ``token`` guards the instructor's view (``/lab/stats``); each student reads only their own key's
    log (``/lab/log`` must be signed with the key's secret). ``on_request`` sees each log entry (the CLI prints it).
    """
    keys_by_api_key = {api_key: secret for _, api_key, secret in keys}
    return ExchangeApp(keys_by_api_key, log_size=log_size, instructor_token=token, on_request=on_request)


def serve_class(
    keys: list[tuple[str, str, str]], host: str, port: int, threads: int, *, token: str | None = None, on_request=None
):
    """A waitress server for the class app (the ``[class]`` extra); ``.run()`` serves until stopped.

    waitress reads each request whole before a worker thread sees it, and drops a client that
    stalls for CLIENT_TIMEOUT_S, so slow or stalled clients never hold a worker.
    """
    waitress = require("waitress", "class", "serve --class")
    return waitress.create_server(
        class_app(keys, token=token, on_request=on_request),
        host=host,
        port=port,
        threads=threads,
        channel_timeout=CLIENT_TIMEOUT_S,
        max_request_body_size=MAX_BODY_BYTES,
        max_request_header_size=MAX_HEADER_BYTES,
        connection_limit=MAX_CONNECTIONS,
        cleanup_interval=max(1, CLIENT_TIMEOUT_S // 2),  # how often waitress looks for stalled clients
        ident="mexc-lab",
    )


def new_instructor_token() -> str:
    """A fresh random token for the instructor's view of a class exchange."""
    return secrets.token_urlsafe(24)


def token_path(keys_path: str | os.PathLike) -> pathlib.Path:
    """Where the instructor token lives: beside the keys file, ``keys.csv`` -> ``keys.token``."""
    return pathlib.Path(keys_path).with_suffix(".token")


def write_token(keys_path: str | os.PathLike, token: str) -> pathlib.Path:
    """Write the instructor token beside the keys file, readable by its owner only (replacing an old one)."""
    path = token_path(keys_path)
    path.unlink(missing_ok=True)
    path.touch(mode=0o600, exist_ok=False)
    path.write_text(token + "\n", encoding="utf-8")
    return path


def read_token(keys_path: str | os.PathLike) -> str | None:
    """The instructor token written beside a keys file, or None if there is none."""
    path = token_path(keys_path)
    return path.read_text(encoding="utf-8").strip() if path.exists() else None
