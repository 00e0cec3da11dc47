"""Classroom mode: one shared local exchange for a workshop, a key pair per student, and the
instructor's view of who is stuck on what.

    mexc-lab serve --class 30 --host 0.0.0.0

serves the exchange with waitress (a production WSGI server in pure Python, on every OS, with a
thread pool) and writes ``keys.csv`` (student, api_key, secret_key) to hand out, readable by its
owner only, in a per-user folder outside the repository (:func:`default_keys_path`);
``--keys-in keys.csv`` restarts a class with the keys it already handed out; ``--handouts DIR`` writes
one slip per student (:func:`write_handouts`). Students set ``MEXC_LAB_URL``, ``MEXC_CLASS_NETWORK=1``,
``MEXC_API_KEY`` and ``MEXC_SECRET_KEY``; the instructor's dashboard reads ``/lab/stats``.
"""

from __future__ import annotations

import contextlib
import csv
import os
import pathlib
import re
import secrets
import socket
import string
import subprocess

from ..extras import require
from ..protocol.urls import CLASS_NETWORK_VARIABLE, LAB_URL_VARIABLE, is_loopback
from .app import CLIENT_TIMEOUT_S, MAX_BODY_BYTES, MAX_CONNECTIONS, MAX_HEADER_BYTES, ExchangeApp

_KEY_ALPHABET = string.ascii_letters + string.digits
_STUDENT_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}")  # a slip's file name: no folder, no dot file


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


def _create_private(path: str | os.PathLike):
    """A new file open for writing text, readable by its owner only; FileExistsError rather than overwrite one.

    Lines end in a plain ``\n`` on every OS: a secret cut from the file with shell tools must not end in ``\r``.
    """
    pathlib.Path(path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return open(descriptor, "w", newline="\n", encoding="utf-8")


def write_keys_csv(path: str | os.PathLike, keys: list[tuple[str, str, str]]) -> None:
    """Write the keys to hand out (columns student, api_key, secret_key), readable by the owner only,
    with plain ``\n`` line endings (csv's default ``\r\n`` would end every secret cut from it in ``\r``)."""
    with _create_private(path) as handle:
        writer = csv.writer(handle, lineterminator="\n")
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


def _handout_paths(folder: pathlib.Path, keys: list[tuple[str, str, str]]) -> list[pathlib.Path]:
    paths = []
    for student, *_ in keys:
        if not _STUDENT_NAME.fullmatch(student):
            raise ValueError(f"student name {student[:40]!r} cannot name a file: use letters, digits, '_', '-', '.'")
        paths += [folder / f"{student}.env", folder / f"{student}.txt"]
    return paths


def _inside_git_work_tree(folder: pathlib.Path) -> pathlib.Path | None:
    """The git work tree ``folder`` would be tracked in (not git-ignored there), or None."""
    root = next((parent for parent in (folder, *folder.parents) if (parent / ".git").exists()), None)
    if root is None:
        return None
    try:
        ignored = subprocess.run(
            ["git", "-C", str(root), "check-ignore", "-q", f"{folder}/"], capture_output=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):  # no git to ask: assume tracked, the safe side
        return root
    return None if ignored.returncode == 0 else root


def check_handouts_folder(folder: str | os.PathLike, keys: list[tuple[str, str, str]]) -> pathlib.Path:
    """The hand-outs folder, absolute, if slips can go there; else a one-line ValueError: a slip is already
    there (never overwritten), a student's name is not a file name, or the folder is in a git work tree."""
    folder = pathlib.Path(folder).expanduser().resolve()
    paths = _handout_paths(folder, keys)
    root = _inside_git_work_tree(folder)
    if root is not None:
        raise ValueError(
            f"{folder} is inside the git repository {root} and not git-ignored: the slips hold secrets; "
            "give --handouts a folder outside it"
        )
    existing = next((path for path in paths if path.exists()), None)
    if existing is not None:
        raise ValueError(f"{existing} exists: hand-outs are never overwritten; give --handouts an empty folder")
    return folder


def handout_texts(student: str, api_key: str, secret: str, url: str) -> tuple[str, str]:
    """A student's slip: the ``.env`` lines (exactly the variables they need) and a printable text to type from.

    ``url`` is the address students reach; MEXC_CLASS_NETWORK=1 is added when it is not this machine.
    """
    network = [] if is_loopback(url) else [f"{CLASS_NETWORK_VARIABLE}=1"]
    variables = [f"{LAB_URL_VARIABLE}={url}", *network, f"MEXC_API_KEY={api_key}", f"MEXC_SECRET_KEY={secret}"]
    exports = [f"export {' '.join(variables[: len(network) + 1])}", f"export {' '.join(variables[-2:])}"]
    printable = [
        f"MEXC Signature Lab: {student}'s key pair for the class exchange at {url}",
        "",
        "In a terminal, in the kit's folder, type:",
        "",
        *(f"    {line}" for line in exports),
        "    make lab",
        "",
        f"(or, with the file {student}.env: set -a; . ./{student}.env; set +a; make lab)",
        "These keys work on this class exchange only, and stop working when it stops. Keep them to yourself.",
    ]
    return "\n".join(variables) + "\n", "\n".join(printable) + "\n"


def write_handouts(folder: str | os.PathLike, keys: list[tuple[str, str, str]], url: str) -> pathlib.Path:
    """Write ``<student>.env`` and ``<student>.txt`` per student into ``folder`` (created 0700, files 0600, never
    overwriting one: ValueError first, as :func:`check_handouts_folder`); returns the folder, absolute."""
    folder = check_handouts_folder(folder, keys)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for student, api_key, secret in keys:
        env, printable = handout_texts(student, api_key, secret, url)
        for suffix, text in ((".env", env), (".txt", printable)):
            with _create_private(folder / f"{student}{suffix}") as handle:
                handle.write(text)
    return folder
