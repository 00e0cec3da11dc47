"""The proxy's session as HAR, with the API keys and signatures masked: a record of what the bot sent and what
came back, to share or attach to an issue, that lets nobody replay a request. The secret never crosses the wire,
so it cannot be in it. (With the signatures masked, the doctor can no longer check them: diagnose from the live
proxy, not from this file.)"""

from __future__ import annotations

import json
import re

MASK = "***"
MASKED_HEADERS = ("x-mexc-apikey", "apikey", "signature")  # spot's key; futures' key and signature
_SIGNATURE_PARAM = re.compile(rb"(?i)(^|[?&])(signature=)[^&]*")


def masked_copy(flow):
    """A copy of a mitmproxy flow with the key and signature headers and any ``signature=`` parameter (query or
    form body) replaced by ``***``; the flow itself, already forwarded, is left as it was."""
    copy = flow.copy()
    request = copy.request
    for name in list(request.headers):
        if name.lower() in MASKED_HEADERS:
            request.headers[name] = MASK
    path = request.data.path
    request.data.path = _SIGNATURE_PARAM.sub(rb"\1\2" + MASK.encode(), path)
    if request.raw_content:
        request.raw_content = _SIGNATURE_PARAM.sub(rb"\1\2" + MASK.encode(), request.raw_content)
    return copy


def write_masked_har(flows, path: str) -> None:
    """Write ``flows`` (masked) as HAR 1.2 with mitmproxy's own exporter."""
    from mitmproxy.addons.savehar import SaveHar

    har = SaveHar().make_har([masked_copy(flow) for flow in flows])
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(har, handle, indent=1)
