"""A researcher, the Imaging lab's coordinator and instrument, and small uploads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from booking.models import Resource


@pytest.fixture
def confocal(facility) -> Resource:
    return facility.confocal.resource


def photo(name: str = "laser.jpg", exif: bool = True) -> SimpleUploadedFile:
    """A small JPEG, with a camera model in its EXIF when `exif`."""
    image = Image.new("RGB", (40, 30), "red")
    buffer = io.BytesIO()
    metadata = Image.Exif()
    if exif:
        metadata[0x0110] = "Secret Camera 9000"  # Model
    image.save(buffer, format="JPEG", exif=metadata.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
