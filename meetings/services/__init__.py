"""Meeting services: planning and convening, answers and attendance, topics, the daily job."""
