"""workplan: models arrive with their feature issues."""
