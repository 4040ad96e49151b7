"""Where uploaded files live: the local disk (one machine), or S3-compatible object storage
through django-storages when several web nodes must share them (docs/scaling.md).

Letters and evidence are private in either place: stored under random names, never given a
public URL, read back only through the views that check permission
(``vpswg.uploads.attachment_response``).
"""

from __future__ import annotations


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "",
    access_key: str = "",
    secret_key: str = "",
    prefix: str = "vpswg",
) -> dict:
    """The ``STORAGES["default"]`` entry for a private S3 bucket."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "location": prefix,
            # Private objects, never overwritten; links (which vpswg never hands out) would
            # be signed and expire.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
