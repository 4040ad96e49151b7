"""Counts the SQL queries of a request (``X-Bench-Queries``) without DEBUG's query log, says
what it found kept (``X-Bench-Cache``, see ``bench.kept``), the CPU its thread spent on it
(``X-Bench-CPU``, ms: what a page costs the app whatever else the machine runs), and how
many requests its process
had served before (``X-Bench-Served``: a process's first requests also fill its own lazy
caches, content types and the like, and are not what it serves after)."""

from __future__ import annotations

import itertools
import json
import os
import time

from django.db import connection

from bench import kept

_served = itertools.count()
#: ``BENCH_QUERY_LOG``: a file each request's statements are appended to (one JSON line each),
#: to find out why a page's count varies. Off unless set.
QUERY_LOG = os.environ.get("BENCH_QUERY_LOG", "")


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        kept.install()

    def __call__(self, request):
        count = 0
        statements: list[str] = []

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            if QUERY_LOG:
                statements.append(sql[:200])
            return execute(sql, params, many, context)

        token = kept.start()
        began = time.thread_time()
        try:
            with connection.execute_wrapper(counter):
                response = self.get_response(request)
        finally:
            lookups = kept.finish(token)
        response["X-Bench-CPU"] = f"{(time.thread_time() - began) * 1000:.1f}"
        response["X-Bench-Queries"] = str(count)
        response["X-Bench-Cache"] = lookups
        served = next(_served)
        response["X-Bench-Served"] = str(served)
        if QUERY_LOG:
            line = {
                "pid": os.getpid(),
                "served": served,
                "path": request.get_full_path(),
                "user": getattr(getattr(request, "user", None), "pk", None),
                "cache": lookups,
                "sql": statements,
            }
            with open(QUERY_LOG, "a") as log:
                log.write(json.dumps(line) + "\n")
        return response
