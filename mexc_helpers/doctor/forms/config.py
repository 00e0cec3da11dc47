"""A request config (``{"method": "POST", "url": ..., "headers": ..., "params"/"data"/"json"/"body": ...}``),
JSON or a Python literal (read with :func:`ast.literal_eval`, never ``eval``).

Assumed encoding: requests' (``params`` by ``urlencode``, ``data`` dicts form-encoded, ``json`` by
``json.dumps``), unless the config has axios' keys (``baseURL``, ``transformRequest``, ...): then axios'
(params as :data:`~mexc_helpers.doctor.encoders.AXIOS_PARAMS` encodes them, object data as compact JSON).
"""

from __future__ import annotations

import ast
import json
import re
from urllib.parse import urlencode

from ...protocol.endpoints import base_url_for
from ...protocol.request import parse_json
from ..encoders import AXIOS_PARAMS
from ..pasted import PastedRequest, UnusableInput, pasted

# --- request configs ------------------------------------------------------------------------

CONFIG_KEY = re.compile(r"""["'](?:url|path)["']\s*:""")
# fmt: off
_AXIOS_KEYS = ("baseURL", "transformRequest", "transformResponse", "transitional", "adapter", "xsrfCookieName",
               "xsrfHeaderName", "maxContentLength", "maxBodyLength", "paramsSerializer", "withCredentials")
# fmt: on
_MAX_LITERAL = 1_000_000


def read_config_object(text: str) -> dict | None:
    """``text`` as a dict, from JSON or a Python literal, or None when it is neither."""
    try:
        decoded = parse_json(text)
    except ValueError:
        decoded = None
        if len(text) <= _MAX_LITERAL and CONFIG_KEY.search(text):
            try:
                decoded = ast.literal_eval(text)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                raise UnusableInput(
                    "this looks like a request config but is neither JSON nor a Python literal: print it "
                    "with json.dumps(config) or JSON.stringify(config) and paste that"
                ) from None
    return decoded if isinstance(decoded, dict) else None


def is_config(config: dict) -> bool:
    """A request config has a URL (or a method and a path); a plain dict of parameters has neither."""
    return isinstance(config.get("url"), str) or ("method" in config and isinstance(config.get("path"), str))


def _js_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _encoded_params(params, axios: bool) -> str:
    if isinstance(params, str):
        return params.lstrip("?")
    pairs = list(params.items()) if isinstance(params, dict) else [tuple(pair) for pair in params]
    if not axios:  # requests: urlencode(doseq=True), None left out, str(value) otherwise (True is "True")
        kept = [(key, value) for key, value in pairs if value is not None]
        return urlencode([(k, [x for x in v if x is not None] if isinstance(v, list) else v) for k, v in kept], True)
    parts = []
    for key, value in pairs:
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                name = f"{key}[]" if isinstance(value, list) else str(key)
                parts.append(f"{AXIOS_PARAMS.encode(name)}={AXIOS_PARAMS.encode(_js_text(item))}")
    return "&".join(parts)


def _config_body(config: dict, axios: bool) -> tuple[str, str | None]:
    """The body the library sends, and the Content-Type it adds for it (None: it adds none)."""
    if config.get("json") is not None:
        return json.dumps(config["json"]), "application/json"
    for key in ("data", "body"):
        value = config.get(key)
        if value is None:
            continue
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace"), None
        if isinstance(value, str):
            return value, None
        if key == "data" and isinstance(value, (dict, list)):
            if axios:
                return json.dumps(value, separators=(",", ":"), ensure_ascii=False), "application/json"
            return _encoded_params(value, False), "application/x-www-form-urlencoded"
        raise UnusableInput(f"the config's {key} is a {type(value).__name__}: paste the body as the string sent")
    return "", None


def read_config(config: dict) -> list[PastedRequest]:
    """The request a requests/axios-style config sends: URL (with params merged), headers, body."""
    axios = any(key in config for key in _AXIOS_KEYS)
    url = config.get("url") if isinstance(config.get("url"), str) else config.get("path")
    base = next((config[key] for key in ("baseURL", "base_url", "baseUrl") if isinstance(config.get(key), str)), None)
    if re.match(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?/", url):  # a host without a scheme
        url = f"https://{url}"
    elif not re.match(r"(?i)https?://", url):
        base = base or base_url_for("/" + url.lstrip("/"))
        url = base.rstrip("/") + "/" + url.lstrip("/")
    params = config.get("params")
    if params:
        if not isinstance(params, (str, dict, list, tuple)):
            raise UnusableInput(f"the config's params is a {type(params).__name__}: expected a dict of parameters")
        url = url.split("#", 1)[0]
        url += ("&" if "?" in url else "?") + _encoded_params(params, axios)
    headers = config.get("headers")
    if headers is not None and not isinstance(headers, dict):
        raise UnusableInput("the config's headers are not a dict: expected {'X-MEXC-APIKEY': '...', ...}")
    if headers is not None:  # axios' nested defaults ({"common": {...}}) are not headers sent as such
        headers = {
            str(k): str(v) for k, v in headers.items() if isinstance(v, (str, int, float)) and not isinstance(v, bool)
        }
    body, content_type = _config_body(config, axios)
    if headers is not None and content_type and not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = content_type
    method = str(config.get("method") or ("POST" if body else "GET"))
    return [pasted(method, url, headers, body, "config", language="JavaScript" if axios else None)]
