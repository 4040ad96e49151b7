"""The product's own settings (``DJANGO_ENV=production`` in the benchmark), plus the harness:
a baseline view outside the product's URLs, and headers that report each response's SQL
query count and what it found kept (``bench.kept``), so that the load generator's run and
the counts come from the same server."""

from vpswg.settings import *  # noqa: F403
from vpswg.settings import CACHES, INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "bench.urls"
# The same caches, counting some of their lookups (``bench.kept``).
CACHES = {
    **CACHES,
    "default": {**CACHES["default"], "BACKEND": "bench.kept.CountedRedisCache"},
    "local": {**CACHES["local"], "BACKEND": "bench.kept.CountedLocMemCache"},
}
