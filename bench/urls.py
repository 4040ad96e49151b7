from django.urls import path

from bench.views import baseline, chrome
from portal.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

urlpatterns = [
    path("_bench/baseline/", baseline, name="bench_baseline"),
    path("<slug:wg>/_bench/chrome/", chrome, name="bench_chrome"),
    *urlpatterns,
]
