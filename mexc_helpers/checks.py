"""The exercises' self-checks: where notebooks import them from (the code is in :mod:`.lab.checks`).

    from mexc_helpers.checks import check_sign
    check_sign(sign)          # a coding exercise: your function, run on many inputs
    check_exercise_1(answer)  # a question: your answer

Each prints one verdict line (``PASS``/``FAIL`` beside its symbol) and returns it, with ``.passed``
and ``.message``.
"""

from .lab.checks.bots import check_fixed_bot, check_fixed_post_bot
from .lab.checks.coding import check_canonical, check_futures_param_string, check_server_offset, check_sign
from .lab.checks.lessons import (
    check_canonical_value,
    check_docs_signature,
    check_doctor_cause,
    check_futures_post_body,
    check_synced_timestamp,
)
from .lab.checks.runner import CheckResult
from .lab.checks.workshop import (
    check_exercise_1,
    check_exercise_2,
    check_exercise_3,
    check_exercise_4,
    check_exercise_5,
    check_exercise_6,
)

__all__ = [
    "CheckResult",
    "check_docs_signature",
    "check_sign",
    "check_futures_param_string",
    "check_synced_timestamp",
    "check_server_offset",
    "check_futures_post_body",
    "check_fixed_post_bot",
    "check_canonical_value",
    "check_canonical",
    "check_doctor_cause",
    "check_exercise_1",
    "check_exercise_2",
    "check_exercise_3",
    "check_exercise_4",
    "check_exercise_5",
    "check_exercise_6",
    "check_fixed_bot",
]
