# French typography groups with a narrow no-break space (U+202F: 1 234), not Django's
# full-width one (U+00A0).
THOUSAND_SEPARATOR = "\u202f"
