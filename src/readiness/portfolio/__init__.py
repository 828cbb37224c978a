"""Many projects' readiness in one command and one site.

``sources`` turns paths, globs and CI exports into members (each valid, invalid or refused on
its own); ``aggregate`` reads their verdicts into rows sorted by risk, the ``--since`` change
and the ``--ci`` gate; ``overview`` writes them as terminal lines, JSON, and the overview page
with its picture; ``site`` renders the portfolio for the MkDocs plugin, one project at a time.
Verdicts (states, go/no-go, blockers) are only read here, never decided: they come from the
same data ``readiness check --format json`` prints (``member.project_data``).
"""
