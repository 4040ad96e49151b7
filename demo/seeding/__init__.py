"""The demo's builders, one per part of a working group's life; ``seed_demo`` runs them in
order. Each is idempotent and goes through the services, as the application does."""
