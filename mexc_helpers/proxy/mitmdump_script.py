"""The diagnosing proxy for a mitmproxy you already run: ``mitmdump -s <this file>`` (``mexc-lab proxy --addon-path``
prints the path). Its options: ``--set mexc_json=true``, ``mexc_only_failures``, ``mexc_har=FILE``,
``mexc_secret_env=NAME`` (default MEXC_SECRET_KEY, read from mitmdump's environment)."""

from mexc_helpers.proxy.addon import DiagnosingProxy

addons = [DiagnosingProxy()]
