"""Batch audits of document archives: ``opencomms audit``.

Data flows one way, as in ``check``:

- :mod:`.run` walks the archive, records every file as *pending* in the database, reads and hashes each
  file in the main process, skips the ones already finished with the same content, and hands batches of
  plain data (bytes + metadata) to workers: local processes or a Dask cluster.
- :mod:`.work` is the one per-batch function both engines run: parse → ``Checker.run`` (pipeline
  batching) → plain dicts.
- :mod:`.store` is the SQLite database (WAL), written only by the main process, one transaction per batch:
  a document row and its findings are committed together or not at all.
- :mod:`.html` and :mod:`.export` read the database back for the HTML report and the CSV/Parquet exports.
"""
