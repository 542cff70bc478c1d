"""Imports: a dry run that shows each row's errors, and a bad file that writes nothing."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import Project
from reporting.models import RateCard
from tests.conftest import sign_in_with_second_factor


def upload(client, kind, name, body: bytes, **extra):
    return client.post(
        reverse("reporting_import"),
        {"kind": kind, "file": SimpleUploadedFile(name, body), **extra},
    )


def test_a_dry_run_previews_and_writes_nothing(client, finance, pi, department):
    sign_in_with_second_factor(client, finance)
    body = (
        "code,name,pi,department,members,active_from,active_to\n"
        f"NEW-1,New project,{pi.email},{department.code},,2026-01-01,\n"
    ).encode()
    response = upload(client, "projects", "projects.csv", body)
    assert b"Nothing has been written yet" in response.content
    assert not Project.objects.filter(code="NEW-1").exists()
    payload = response.context["payload"]
    confirmed = client.post(
        reverse("reporting_import"),
        {"kind": "projects", "payload": payload, "filename": "projects.csv", "confirm": "1"},
    )
    assert confirmed.status_code == 302
    assert Project.objects.get(code="NEW-1").pi == pi


def test_a_file_with_one_bad_row_writes_nothing_and_names_the_row(client, finance, pi, department):
    sign_in_with_second_factor(client, finance)
    body = (
        "code,name,pi,department,members,active_from,active_to\n"
        f"OK-1,Fine,{pi.email},{department.code},,2026-01-01,\n"
        f"BAD-1,Broken,nobody@example.org,{department.code},,2026-01-01,\n"
    ).encode()
    response = upload(client, "projects", "projects.csv", body)
    assert b"nothing was imported" in response.content
    assert response.context["failed"]
    problems = [row for row in response.context["preview"] if row["errors"]]
    assert [row["number"] for row in problems] == [2]
    assert not Project.objects.filter(code__in=["OK-1", "BAD-1"]).exists()


def test_overlapping_rate_cards_in_one_file_are_refused(client, finance, confocal):
    sign_in_with_second_factor(client, finance)
    body = (
        "resource,category,hourly_rate,booking_fee,minimum_charge,rounding_minutes,"
        "no_show_percent,late_cancellation_percent,effective_from,effective_to\n"
        f"{confocal.name},internal,40,0,0,15,0,0,2026-01-01,\n"
        f"{confocal.name},internal,45,0,0,15,0,0,2026-06-01,\n"
    ).encode()
    response = upload(client, "rate-cards", "cards.csv", body)
    assert response.context["failed"]
    assert "Another internal card" in str(response.context["preview"])
    assert not RateCard.objects.exists()


def test_a_malformed_file_gets_a_clear_message(client, finance):
    sign_in_with_second_factor(client, finance)
    response = upload(client, "projects", "projects.xlsx", b"not a spreadsheet")
    assert b"could not be read as xlsx" in response.content
    response = upload(client, "projects", "projects.pdf", b"%PDF")
    assert b"Only .csv and .xlsx files" in response.content


def test_users_import_is_for_site_admins_only(client, finance):
    sign_in_with_second_factor(client, finance)
    response = upload(client, "users", "users.csv", b"email,first_name,last_name,category\n")
    assert "may not import" in str(response.context["form"].errors)


def test_a_site_admin_imports_users_with_category_and_department(client, site_admin, department):
    sign_in_with_second_factor(client, site_admin)
    body = (
        "email,first_name,last_name,category,department\n"
        f"Ada@Example.org,Ada,Lovelace,Industry,{department.code}\n"
    ).encode()
    preview = upload(client, "users", "users.csv", body)
    assert not preview.context["failed"], preview.context["preview"]
    payload = preview.context["payload"]
    client.post(
        reverse("reporting_import"),
        {"kind": "users", "payload": payload, "filename": "users.csv", "confirm": "1"},
    )
    from people.models import User

    ada = User.objects.get(email="ada@example.org")
    assert (ada.category, ada.department) == ("industry", department)
    assert not ada.has_usable_password()
    assert datetime.date.today()  # the import touched nothing else


def test_an_error_names_the_column_and_the_value(client, finance, confocal):
    sign_in_with_second_factor(client, finance)
    body = (
        "resource,category,hourly_rate,booking_fee,minimum_charge,rounding_minutes,"
        "no_show_percent,late_cancellation_percent,effective_from,effective_to\n"
        f"{confocal.name},internal,twelve,0,0,15,0,0,2026-01-01,\n"
    ).encode()
    response = upload(client, "rate-cards", "cards.csv", body)

    (row,) = response.context["preview"]
    assert any('Column "hourly_rate", value "twelve"' in error for error in row["errors"]), row


def test_each_import_has_a_template_to_download(client, finance):
    sign_in_with_second_factor(client, finance)

    response = client.get(reverse("reporting_import_template", args=["projects"]))
    refused = client.get(reverse("reporting_import_template", args=["users"]))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode().strip() == (
        "code,name,pi,department,members,active_from,active_to"
    )
    assert refused.status_code != 200  # users are for site admins (the admin redirects)
