"""Private files: stored where no URL reaches them (site/storage.py), handed out only by a
view that has checked who is asking.

Behind nginx (PRIVATE_FILES_ACCEL_PREFIX set, as in production) the view answers with an
empty response naming the file in `X-Accel-Redirect`; nginx sends it from an `internal`
location mapped to PRIVATE_ROOT (deploy/nginx/labitory-app.conf), so a large file never holds
a gunicorn worker. Without nginx, or when the files are in object storage, the view streams
the file itself.
"""

import os
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage


class NoPublicUrl:
    """A storage whose files have no URL: asking for one is a programming error."""

    def url(self, name: str | None) -> str:
        raise NotImplementedError(
            "Private files have no URL; serve them with labitory.private_files.file_response."
        )


class PrivateFileSystemStorage(NoPublicUrl, FileSystemStorage):
    """Files under PRIVATE_ROOT (followed when a test changes the setting)."""

    @property
    def base_location(self) -> str:
        return self._value_or_setting(self._location, str(settings.PRIVATE_ROOT))

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


class PrivateS3Storage(NoPublicUrl, S3Storage):
    """Objects under a private prefix (or bucket), written with a private ACL."""


def file_response(file: FieldFile, *, filename: str, content_type: str) -> HttpResponseBase:
    """The response that delivers a private `file` as an attachment named `filename`. Call it
    only once the asker's permission is checked."""
    prefix = settings.PRIVATE_FILES_ACCEL_PREFIX
    if prefix and isinstance(file.storage, PrivateFileSystemStorage):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file.name)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
        )
    response["Cache-Control"] = "private, no-store"
    return response
