"""Self-checks for the notebooks' exercises: each says whether an answer is right and, when it is
not, what is wrong with it (the misconception it shows, by name), never the answer itself.

Each check prints one verdict line (and returns nothing, so a notebook shows just that line): a
cell right after an exercise is all a learner needs, ``check_exercise_1(answer)``. Notebooks import
them from :mod:`mexc_helpers.checks`.

- :mod:`.judge`: the verdict line, and the mistakes several exercises share (a query, a JSON body);
- :mod:`.lessons`: the checks of notebooks 00 to 05;
- :mod:`.workshop`: the checks of notebook 06.
"""
