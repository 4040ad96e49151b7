from django.urls import path

from activities import report_views as views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("activities.csv", views.csv_export, name="csv"),
    path("state/", views.state, name="state"),
    path("annual/", views.annual, name="annual"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/report.pdf", views.job_download, name="job_download"),
]
