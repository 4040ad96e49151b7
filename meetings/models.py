"""meetings: models arrive with their feature issues."""
