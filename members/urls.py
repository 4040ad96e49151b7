from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.institution_create, name="institution_new"),
    path("nominate/", views.nominate, name="nominate"),
    path("report/", views.annual_report, name="report"),
    path("reports/<int:pk>/file/", views.report_file, name="report_file"),
    path("compliance/", views.compliance, name="compliance"),
    path("contributions/", views.contributions, name="contributions"),
    path("contributions/new/", views.contribution_new, name="contribution_new"),
    path("contributions/<int:pk>/delete/", views.contribution_delete, name="contribution_delete"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/screen/", views.application_screen, name="application_screen"),
    path("applications/<int:pk>/vote/", views.application_vote, name="application_vote"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path("applications/<int:pk>/letter/", views.application_letter, name="application_letter"),
    path("<int:pk>/", views.institution_detail, name="institution"),
    path("<int:pk>/edit/", views.institution_edit, name="institution_edit"),
    path("<int:pk>/standing/", views.standing_decide, name="standing"),
    path("<int:pk>/standing/<int:proposal>/vote/", views.standing_vote, name="standing_vote"),
    path(
        "<int:pk>/standing/<int:proposal>/decide/",
        views.standing_record,
        name="standing_record",
    ),
    path(
        "<int:pk>/standing/<int:proposal>/withdraw/",
        views.standing_withdraw,
        name="standing_withdraw",
    ),
    path("<int:pk>/representatives/add/", views.representative_add, name="representative_add"),
    path(
        "<int:pk>/representatives/<int:rep>/end/",
        views.representative_end,
        name="representative_end",
    ),
]
