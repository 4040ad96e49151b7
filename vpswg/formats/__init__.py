"""Where this site writes numbers differently from Django's locale formats
(settings.FORMAT_MODULE_PATH; whatever a module here does not set stays Django's).

Only the thousands separator, and it shows only where a figure asks for grouping
(``vpswg_tags.figure``, ``intcomma``): USE_THOUSAND_SEPARATOR stays off, so that ids in
URLs and attributes, and years, are never grouped.
"""
