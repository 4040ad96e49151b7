"""A URLconf for tenancy tests: the application's URLs plus a probe view and an extra path."""

from django.http import JsonResponse
from django.urls import include, path

from members.models import Institution
from portal.urls import urlpatterns as app_urlpatterns
from vpswg.permissions import public


@public
def probe(request):
    """Counts institutions with no explicit filter: only the active scope limits the query."""
    return JsonResponse(
        {
            "group": request.working_group.slug,
            "institutions": sorted(Institution.objects.values_list("name", flat=True)),
        }
    )


@public
def extra(request):
    return JsonResponse({})


urlpatterns = [
    path("extra-top-level/", extra),
    path("<slug:wg>/probe/", include([path("", probe, name="probe")])),
    *app_urlpatterns,
]
