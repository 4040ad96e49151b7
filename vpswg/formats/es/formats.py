# Django writes 1 234 (a no-break space); the Spanish pages write 1.234, with the decimal
# comma Django keeps: 10,5.
THOUSAND_SEPARATOR = "."
