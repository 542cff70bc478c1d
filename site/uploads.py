"""Uploaded images and documents: types read from the content, image metadata (EXIF:
camera, time, GPS position) removed before the file is stored.

Wagtail caps sizes (WAGTAILIMAGES_MAX_UPLOAD_SIZE, WAGTAILDOCS_MAX_UPLOAD_SIZE), reads an
image's format from its bytes and refuses one whose extension lies; documents get the same
here, from their first bytes. The admin's upload forms use
these bases (WAGTAILIMAGES_IMAGE_FORM_BASE, WAGTAILDOCS_DOCUMENT_FORM_BASE).
"""

import io

from django import forms
from django.core.files.uploadedfile import InMemoryUploadedFile
from PIL import Image, ImageOps
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

ZIP = b"PK\x03\x04"
# What a document's first bytes must be for its extension; text formats are checked apart.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "pptx": (ZIP,),
    "odt": (ZIP,),
    "key": (ZIP,),
    "zip": (ZIP,),
    "rtf": (b"{\\rtf",),
}
TEXT = {"txt", "csv"}
STRIPPED_FORMATS = {"JPEG", "PNG", "WEBP", "TIFF"}


def content_matches_extension(head: bytes, extension: str) -> bool:
    if extension in TEXT:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A multi-byte character may be cut at the end of the sample.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                return False
        return b"\x00" not in head
    signatures = SIGNATURES.get(extension)
    return signatures is None or head.startswith(signatures)


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not file or file == self.original_file:
            return file
        extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
        head = file.read(2048)
        file.seek(0)
        if not content_matches_extension(head, extension):
            raise forms.ValidationError(
                f"This file's content is not a .{extension} file. Check that you chose the "
                "right file, and that its name ends in the right extension.",
                code="content_mismatch",
            )
        return file


def without_metadata(file) -> InMemoryUploadedFile | None:
    """The image re-saved without its metadata (turned upright first, as its EXIF said),
    or None for formats kept as they are (GIF, SVG, AVIF, HEIC)."""
    file.seek(0)
    with Image.open(file) as image:
        if image.format not in STRIPPED_FORMATS or getattr(image, "n_frames", 1) > 1:
            file.seek(0)
            return None
        image_format = image.format
        upright = ImageOps.exif_transpose(image)
        # Only the pixels (and the palette and colour profile) go into the new file.
        clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
        if upright.mode == "P":
            clean.putpalette(upright.getpalette())
        options = {"quality": 95} if image_format in ("JPEG", "WEBP") else {}
        if upright.info.get("icc_profile"):
            options["icc_profile"] = upright.info["icc_profile"]
        buffer = io.BytesIO()
        clean.save(buffer, format=image_format, **options)
    size = buffer.tell()
    buffer.seek(0)
    return InMemoryUploadedFile(
        buffer, "file", file.name, getattr(file, "content_type", None), size, None
    )


class ImageForm(BaseImageForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not file or file == self.original_file:
            return file
        stripped = without_metadata(file)
        if stripped is None:
            return file
        # Wagtail's field object keeps the detected format for the model's metadata.
        for attribute in ("image", "content_type"):
            if hasattr(file, attribute):
                setattr(stripped, attribute, getattr(file, attribute))
        return stripped
