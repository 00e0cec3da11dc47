"""The diagnosing proxy (the ``[proxy]`` extra): run a bot in any language through the doctor.

- :mod:`.run`: ``mexc-lab proxy``, mitmproxy in reverse mode on loopback (spot and futures ports);
- :mod:`.addon`: the mitmproxy addon that forwards everything unchanged and diagnoses each refusal as sent;
- :mod:`.har`: the session as HAR, keys and signatures masked;
- ``mitmdump_script.py``: the addon for ``mitmdump -s`` in a mitmproxy you already run.
"""
