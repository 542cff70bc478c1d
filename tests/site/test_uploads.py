"""Uploads through the admin: image metadata removed, sizes capped, documents' content
checked against their extension."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.conftest import sign_in_with_second_factor

GPS_TAG = 0x8825
MAKE_TAG = 0x010F


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[MAKE_TAG] = "SpyCam 3000"
    exif[GPS_TAG] = {1: "N", 2: (51.0, 30.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def upload_image(client, data: bytes, name: str = "bench.jpg"):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": "Bench", "file": SimpleUploadedFile(name, data, "image/jpeg"), "collection": 1},
    )


def upload_document(client, data: bytes, name: str):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": "Manual", "file": SimpleUploadedFile(name, data), "collection": 1},
    )


def test_an_uploaded_photo_loses_its_exif_and_gps(client, site_admin, facility):
    assert Image.open(io.BytesIO(jpeg_with_gps())).getexif().get(MAKE_TAG) == "SpyCam 3000"
    sign_in_with_second_factor(client, site_admin)

    response = upload_image(client, jpeg_with_gps())

    assert response.status_code == 302
    stored = get_image_model().objects.get()
    with stored.file.open() as file, Image.open(file) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (40, 30)
    assert stored.file_size == stored.file.size


def test_a_document_whose_content_is_not_its_extension_is_refused(client, site_admin, facility):
    sign_in_with_second_factor(client, site_admin)

    response = upload_document(client, b"MZ\x90\x00 not really a pdf", "manual.pdf")

    assert response.status_code == 200
    assert "content is not a .pdf file" in response.text
    assert not get_document_model().objects.exists()


def test_a_real_pdf_is_accepted(client, site_admin, facility):
    sign_in_with_second_factor(client, site_admin)

    response = upload_document(client, b"%PDF-1.7\n%fake but well-formed head\n", "manual.pdf")

    assert response.status_code == 302
    assert get_document_model().objects.count() == 1


def test_a_binary_file_named_txt_is_refused(client, site_admin, facility):
    sign_in_with_second_factor(client, site_admin)

    response = upload_document(client, b"\x00\x01\x02\xff\xfe", "notes.txt")

    assert "content is not a .txt file" in response.text


def test_a_document_over_the_size_limit_is_refused(client, site_admin, facility, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    sign_in_with_second_factor(client, site_admin)

    response = upload_document(client, b"%PDF-1.7\n" + b"0" * 2048, "big.pdf")

    assert "This file is too big" in response.text
    assert not get_document_model().objects.exists()
