from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_index, name="list"),
    path("new/", views.meeting_create, name="new"),
    path("guests/", views.guests, name="guests"),
    path("topics/", views.topic_index, name="topics"),
    path("topics/<int:pk>/interest/", views.topic_interest, name="topic_interest"),
    path("topics/<int:pk>/schedule/", views.topic_schedule, name="topic_schedule"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/meeting.ics", views.meeting_calendar, name="calendar"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/convene/", views.meeting_convene, name="convene"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/answer/", views.meeting_answer, name="answer"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="attendance"),
    path("<int:pk>/next/", views.meeting_next, name="next"),
    path("<int:pk>/agenda/add/", views.agenda_item, name="agenda_add"),
    path("<int:pk>/agenda/<int:item>/", views.agenda_item, name="agenda_edit"),
    path("<int:pk>/agenda/<int:item>/delete/", views.agenda_item_delete, name="agenda_delete"),
    path("<int:pk>/agenda/<int:item>/move/", views.agenda_item_move, name="agenda_move"),
]
