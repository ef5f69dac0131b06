"""Prefect 3 flows: thin wrappers over the plain job functions of :mod:`dondoc.jobs`.

The embedded APScheduler (``dondoc/scheduler.py``) and these flows call the very same
functions; the flows add orchestration only (tasks, retries, batches, logs in the Prefect
UI) and hold no state: the database is the queue and the record. Deployments and their
schedules are in ``prefect.yaml``; the production set-up is in ``docs/deploy.md``.

| flow           | module            | calls                                                        |
|----------------|-------------------|--------------------------------------------------------------|
| ``sweep``        | flows/sweep.py    | ``dondoc.jobs.run_sweep``                                      |
| ``deliver``      | flows/deliver.py  | the outbox delivery of ``notifications.delivery``, batch by batch |
| ``digests``      | flows/digests.py  | ``dondoc.jobs.run_digests``                                    |
| ``periodic-reports`` | flows/reports.py | ``dondoc.jobs.run_periodic_reports``                       |
| ``catalog-load`` | flows/catalog.py  | ``tasks_catalog.loader.load_catalog`` + ``sync_catalog``         |

Only this package imports Prefect (importing it costs seconds); nothing outside ``flows/``
imports ``flows``.
"""
