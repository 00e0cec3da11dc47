"""Self-checks for the notebooks' exercises: each says whether an answer is right and, when it is
not, what is wrong with it (the misconception it shows, by name), never the answer itself.

A check prints one verdict line, ``PASS`` or ``FAIL`` beside its symbol: a cell right after an
exercise is all a learner needs, ``check_sign(sign)``. Notebooks import them from
:mod:`mexc_helpers.checks`.

- :mod:`.judge`: the verdict line, and the mistakes several exercises share (a query, a JSON body);
- :mod:`.lessons`: the checks of notebooks 00 to 05 whose answer is a value;
- :mod:`.workshop`: the checks of notebook 06 whose answer is a value;
- :mod:`.coding`: the checks of the exercises where the learner writes a function.
"""

# Every exercise's name (what a check reports to the class exchange), with its notebook, in teaching order.
EXERCISES = (
    ("docs_signature", "00"),
    ("sign", "00"),
    ("futures_param_string", "01"),
    ("synced_timestamp", "02"),
    ("server_offset", "02"),
    ("futures_post_body", "03"),
    ("fixed_post_bot", "03"),
    ("canonical_value", "04"),
    ("canonical", "04"),
    ("doctor_cause", "05"),
    ("exercise_1", "06"),
    ("exercise_2", "06"),
    ("exercise_3", "06"),
    ("exercise_4", "06"),
    ("exercise_5", "06"),
    ("exercise_6", "06"),
    ("fixed_bot", "06"),
)
