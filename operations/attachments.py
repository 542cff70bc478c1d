"""The optional photo or file of a problem report, checked as the site's other uploads are
(labitory.uploads): its type read from its content, not its name, and a photo's metadata
(camera, time, GPS position) removed before it is stored."""

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from labitory.refusals import Problem
from labitory.uploads import content_matches_extension, without_metadata

MAX_BYTES = 10 * 1024 * 1024
IMAGES = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
DOCUMENTS = {"pdf", "txt", "csv"}
ACCEPTED = ", ".join(f".{extension}" for extension in (*IMAGES, *sorted(DOCUMENTS)))


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _image_problem(file, extension: str) -> Problem | None:
    try:
        with Image.open(file) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        found = None
    finally:
        file.seek(0)
    if found != IMAGES[extension]:
        return Problem(
            "attachment_mismatch",
            _("This file is not a .%(extension)s picture: choose the photo again.")
            % {"extension": extension},
            "attachment",
        )
    return None


def checked_attachment(file):
    """(the file to store, None) or (None, the Problem with it)."""
    extension = _extension(file.name)
    if file.size > MAX_BYTES:
        return None, Problem(
            "attachment_too_large", _("Attach a file of at most 10 MB."), "attachment"
        )
    if extension not in IMAGES and extension not in DOCUMENTS:
        return None, Problem(
            "attachment_type",
            _("Attach a photo or a file ending in %(extensions)s.") % {"extensions": ACCEPTED},
            "attachment",
        )
    if extension in IMAGES:
        if problem := _image_problem(file, extension):
            return None, problem
        return without_metadata(file) or file, None
    head = file.read(2048)
    file.seek(0)
    if not content_matches_extension(head, extension):
        return None, Problem(
            "attachment_mismatch",
            _("This file's content is not a .%(extension)s file: choose it again.")
            % {"extension": extension},
            "attachment",
        )
    return file, None
