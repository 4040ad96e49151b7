"""activities: models arrive with their feature issues."""
