"""Releases: the public data frozen under a version, in every form researchers read.

``manage.py release VERSION`` writes, under ``settings.DEFREL_RELEASES_DIR/VERSION/``:

- ``csv/<table>.csv``: one tidy CSV per public table (as ``export_csv`` writes them) and the
  country-year panel (``csv/panel_country_year.csv``);
- ``parquet/<table>.parquet``: the same tables, typed;
- ``release.sqlite`` with ``metadata.json`` (Datasette's), the public tables only;
- ``datapackage.json`` (Frictionless Data Package), ``codebook.md``, ``changelog.md`` and
  ``changelog.json`` (against the previous release), ``SHA256SUMS``.

Every file is derived from the column declarations (``engagements.columns``): ``tables``
says which tables a release holds, ``formats`` how each declared type is written in Arrow,
Parquet and SQLite, ``datapackage`` the descriptors, ``changelog`` what changed, ``storage``
where releases live and how they are frozen, ``building`` puts it together (``build_release``),
``membership`` answers in which releases a record appears.
"""
