"""The group's documents: library, attachments on meetings and agenda items, versions,
audiences, their text for search and the meeting pack (``meetings.models.documents``)."""
