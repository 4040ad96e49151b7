from django.urls import path

from workplan import views

app_name = "workplan"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_new, name="new"),
    path("from-action/<int:pk>/", views.from_action, name="from_action"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/objectives/", views.objective_add, name="objective_add"),
    path(
        "<int:pk>/objectives/<int:objective>/activities/", views.activity_form, name="activity_add"
    ),
    path("<int:pk>/activities/<int:activity>/", views.activity_form, name="activity_edit"),
    path("<int:pk>/adopt/", views.plan_adopt, name="adopt"),
    path("<int:pk>/close/", views.plan_close, name="close"),
]
