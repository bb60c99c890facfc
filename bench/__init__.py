"""dealnudge benchmarks: ``make bench`` (or ``python -m bench``) writes BENCHMARKS.md.

Each section is one function registered with ``@section`` in its own module (see
``bench/core.py``); ``bench/cli.py`` runs them in order and renders the report.
"""
