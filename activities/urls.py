from django.urls import path

from activities import import_views, views

app_name = "activities"

urlpatterns = [
    path("", views.register, name="list"),
    path("new/", views.activity_new, name="new"),
    path("outreach/", views.outreach, name="outreach"),
    path("import/", import_views.import_start, name="import"),
    path(
        "import/template.csv",
        import_views.import_template,
        {"kind": "csv"},
        name="import_template_csv",
    ),
    path(
        "import/template.xlsx",
        import_views.import_template,
        {"kind": "xlsx"},
        name="import_template_xlsx",
    ),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<int:pk>/rows/<int:row>/", import_views.import_row, name="import_row"),
    path("import/<int:pk>/import/", import_views.import_commit, name="import_commit"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/confirm/", views.activity_confirm, name="confirm"),
    path("<int:pk>/evidence/<int:evidence>/", views.evidence_file, name="evidence"),
]
