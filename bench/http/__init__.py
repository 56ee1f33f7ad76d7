"""`manage.py bench_http` (`make bench`): the pages and APIs timed through real HTTP against
gunicorn under the production settings, each beside the bare SQL it runs.

`server.py` starts and stops gunicorn; `endpoints.py` lists what is measured; `client.py`
times HTTP requests; `sql_replay.py` captures an endpoint's SQL and times its replay;
`machine.py` describes the machine and PostgreSQL; `results.py` writes the figures down;
`run.py` puts them together.
"""
