"""The exercises' self-checks: where notebooks import them from (the code is in :mod:`.lab.checks`).

from mexc_helpers.checks import check_exercise_1
check_exercise_1(answer)
"""

from .lab.checks.lessons import (
    check_canonical_value,
    check_docs_signature,
    check_doctor_cause,
    check_futures_param_string,
    check_futures_post_body,
    check_synced_timestamp,
)
from .lab.checks.workshop import (
    check_exercise_1,
    check_exercise_2,
    check_exercise_3,
    check_exercise_4,
    check_exercise_5,
    check_exercise_6,
)

__all__ = [
    "check_docs_signature",
    "check_futures_param_string",
    "check_synced_timestamp",
    "check_futures_post_body",
    "check_canonical_value",
    "check_doctor_cause",
    "check_exercise_1",
    "check_exercise_2",
    "check_exercise_3",
    "check_exercise_4",
    "check_exercise_5",
    "check_exercise_6",
]
