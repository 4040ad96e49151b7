"""The portal's operator pages, served under the admin site (``VpswgAdminSite.register_view``)."""

from django.contrib import admin

from portal.initiative import initiative_view

admin.site.register_view("initiative/", initiative_view, "initiative")
