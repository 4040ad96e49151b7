from django.urls import path

from meetings import minutes_views, views
from meetings.documents import views as document_views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_index, name="list"),
    path("new/", views.meeting_create, name="new"),
    path("guests/", views.guests, name="guests"),
    path("topics/", views.topic_index, name="topics"),
    path("topics/<int:pk>/interest/", views.topic_interest, name="topic_interest"),
    path("topics/<int:pk>/schedule/", views.topic_schedule, name="topic_schedule"),
    path("topics/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("topics/<int:pk>/withdraw/", views.topic_withdraw, name="topic_withdraw"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/meeting.ics", views.meeting_calendar, name="calendar"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/convene/", views.meeting_convene, name="convene"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/answer/", views.meeting_answer, name="answer"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="attendance"),
    path("<int:pk>/guest-reply/", views.meeting_guest_reply, name="guest_reply"),
    path("<int:pk>/next/", views.meeting_next, name="next"),
    path("<int:pk>/suggestion/", views.meeting_suggestion, name="suggestion"),
    path("<int:pk>/access/grant/", views.closed_grant, name="closed_grant"),
    path("<int:pk>/access/revoke/", views.closed_revoke, name="closed_revoke"),
    path("<int:pk>/minutes/", minutes_views.minutes_page, name="minutes"),
    path("<int:pk>/minutes.pdf", minutes_views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/minutes/start/", minutes_views.minutes_start, name="minutes_start"),
    path("<int:pk>/minutes/edit/", minutes_views.minutes_edit, name="minutes_edit"),
    path("<int:pk>/minutes/leak/", minutes_views.minutes_leak, name="minutes_leak"),
    path("<int:pk>/minutes/submit/", minutes_views.minutes_submit, name="minutes_submit"),
    path("<int:pk>/minutes/review/", minutes_views.minutes_review, name="minutes_review"),
    path("<int:pk>/minutes/adopt/", minutes_views.minutes_adopt, name="minutes_adopt"),
    path("<int:pk>/minutes/access/", minutes_views.minutes_access, name="minutes_access"),
    path(
        "<int:pk>/minutes/versions/<int:number>/",
        minutes_views.minutes_version,
        name="minutes_version",
    ),
    path("<int:pk>/minutes/compare/", minutes_views.minutes_compare, name="minutes_compare"),
    path("<int:pk>/pack/", document_views.pack_start, name="pack"),
    path("<int:pk>/pack/<int:job>/", document_views.pack_status, name="pack_status"),
    path("<int:pk>/pack/<int:job>/file/", document_views.pack_file, name="pack_file"),
    path("<int:pk>/agenda/add/", views.agenda_item, name="agenda_add"),
    path("<int:pk>/agenda/<int:item>/", views.agenda_item, name="agenda_edit"),
    path("<int:pk>/agenda/<int:item>/delete/", views.agenda_item_delete, name="agenda_delete"),
    path("<int:pk>/agenda/<int:item>/move/", views.agenda_item_move, name="agenda_move"),
]
