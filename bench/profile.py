"""Time each benchmark page in-process (no server, no load generator): ``python -m
bench.profile [--profile NAME]`` with the environment of ``bench.run.app_env``. For finding
where a page spends its time; the figures that count come from ``bench.run``."""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", help="page name to profile with cProfile")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--sql", action="store_true", help="print each query's time")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from bench import steps

    session = steps.prepare_clients()
    for name, role, path in session["pages"]:
        client = session["clients"][role]
        for _ in range(3):
            response = client.get(path, secure=True)
        began = time.perf_counter()
        for _ in range(args.requests):
            client.get(path, secure=True)
        elapsed = (time.perf_counter() - began) / args.requests * 1000
        print(
            f"{name:<22} {elapsed:6.1f} ms  {response['X-Bench-Queries']:>3} queries  {len(response.content):>7} bytes"
        )
        if args.sql:
            _print_queries(client, path)
        if name == args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                client.get(path, secure=True)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(60)


def _print_queries(client, path: str) -> None:
    from django.db import connection

    timings = []

    def timer(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(((time.perf_counter() - began) * 1000, sql))

    with connection.execute_wrapper(timer):
        client.get(path, secure=True)
    for ms, sql in timings:
        print(f"    {ms:6.2f} ms  {sql[:150]}")


if __name__ == "__main__":
    main()
