"""The product's own settings (``DJANGO_ENV=production`` in the benchmark), plus the harness:
a baseline view outside the product's URLs, and a header that reports each response's SQL
query count so the load generator's run and the count come from the same server."""

from vpswg.settings import *  # noqa: F403
from vpswg.settings import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "bench.urls"
