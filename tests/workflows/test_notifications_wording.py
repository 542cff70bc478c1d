"""Staff's wording: a MessageTemplate replaces an event's default files, takes effect at once,
and is refused, with the reason next to the field, when it does not render."""

import pytest

from tests.conftest import sign_in_with_second_factor
from workflows import wording
from workflows.admin_outbox import MessageTemplateForm
from workflows.models import MessageTemplate
from workflows.outbox import enqueue, write

pytestmark = pytest.mark.django_db

REPORT = {"title": "March statement", "url": "https://labitory.test/r/1", "count": 2}
ADD_URL = "/admin/notifications/wording/add/"


def form_for(**fields) -> MessageTemplateForm:
    data = {"event": "report_ready", "subject": "Ready", "text_body": "Hi", "html_body": ""}
    return MessageTemplateForm(data={**data, **fields}, instance=MessageTemplate())


def test_staff_wording_replaces_the_default(booker):
    MessageTemplate.objects.create(
        event="report_ready",
        subject="Your {{ title }} is done",
        text_body="{{ count }} rows. Get it: {{ url }}",
    )

    message = write(enqueue("report_ready", to=booker, key="r.1", context=REPORT))

    assert message.subject == "Your March statement is done"
    assert message.text_body == "2 rows. Get it: https://labitory.test/r/1\n"
    assert "<p>2 rows. Get it: https://labitory.test/r/1</p>" in message.html_body


def test_a_change_takes_effect_at_once_and_deleting_restores_the_default(booker):
    def subject(key: str) -> str:
        return write(enqueue("report_ready", to=booker, key=key, context=REPORT)).subject

    template = MessageTemplate.objects.create(event="report_ready", subject="A", text_body="a")
    assert subject("r.1") == "A"

    template.subject = "B"
    template.save()
    assert subject("r.2") == "B"

    template.delete()
    assert subject("r.3") == "Ready: March statement"


def test_html_wording_goes_inside_the_layout_escaped(booker):
    MessageTemplate.objects.create(
        event="report_ready",
        subject="Ready",
        text_body="{{ title }}",
        html_body="<p><strong>{{ title }}</strong></p>",
    )

    message = write(
        enqueue("report_ready", to=booker, key="r.1", context={**REPORT, "title": "<b>x</b>"})
    )

    assert "<p><strong>&lt;b&gt;x&lt;/b&gt;</strong></p>" in message.html_body
    assert "Choose which emails you get" in message.html_body


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"text_body": "{% if title %}unclosed"}, "text_body", "This does not render"),
        ({"subject": "{{ title|nosuchfilter }}"}, "subject", "This does not render"),
        ({"html_body": "{% url 'nowhere' %}"}, "html_body", "The tag “url” cannot be used"),
        ({"text_body": "{{ titel }}"}, "text_body", "Unknown name “titel”"),
        ({"subject": "{% if False %}x{% endif %}"}, "subject", "The subject renders empty."),
    ],
)
def test_wording_that_does_not_render_is_refused_next_to_its_field(
    facility, fields, field, message
):
    form = form_for(**fields)

    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_the_error_for_an_unknown_name_lists_what_can_be_used(facility):
    form = form_for(text_body="{{ booking.resource }}")

    assert not form.is_valid()
    assert (
        "Unknown name “booking.resource”. This message can use: title, url, count, recipient,"
        " recipient.name, recipient.first_name, recipient.last_name, recipient.email, site_name,"
        " preferences_url, my_bookings_url, zone."
    ) in str(form.errors["text_body"])


def test_wording_for_every_event_renders_its_own_defaults(facility):
    from workflows.notifications import EVENTS
    from workflows.wording import default_wording

    for event in EVENTS:
        wording = default_wording(event)
        form = form_for(
            event=event, subject=wording.subject, text_body=wording.text, html_body=wording.html
        )
        assert form.is_valid(), (event, form.errors)


def test_an_unknown_event_is_refused(facility):
    form = form_for(event="birthday")

    assert not form.is_valid()
    assert "event" in form.errors


def test_the_admin_refuses_bad_wording_without_saving(client, site_admin, facility):
    sign_in_with_second_factor(client, site_admin)

    response = client.post(
        ADD_URL,
        {"event": "report_ready", "subject": "Ready", "text_body": "{{ titel }}", "html_body": ""},
    )

    assert response.status_code == 200
    assert "Unknown name “titel”" in response.content.decode()
    assert not MessageTemplate.objects.exists()


def test_the_admin_saves_good_wording_and_previews_it(client, site_admin, facility):
    sign_in_with_second_factor(client, site_admin)

    response = client.post(
        ADD_URL,
        {"event": "report_ready", "subject": "Done: {{ title }}", "text_body": "{{ url }}"},
    )

    assert response.status_code == 302
    template = MessageTemplate.objects.get()
    editor = client.get(f"/admin/notifications/wording/edit/{template.pk}/").content.decode()
    assert f"/admin/notifications/wording/preview-email/{template.pk}/" in editor
    preview = client.get(f"/admin/notifications/wording/preview-email/{template.pk}/")
    assert "Done: Usage statement, March 2026" in preview.content.decode()


def test_a_researcher_cannot_edit_wording(client, researcher, facility):
    client.force_login(researcher)

    assert client.get(ADD_URL).status_code in (302, 403)


def test_times_in_staff_wording_are_in_the_facility_zone(facility):
    import datetime

    from booking.models import Booking

    summer = datetime.datetime(2030, 7, 1, 9, 0, tzinfo=datetime.UTC)  # 10:00 in London
    MessageTemplate.objects.create(
        event="approval_decided",
        subject="Starts {{ booking.start|date:'H:i' }}",
        text_body="{{ decision }}",
    )

    message = wording.render(
        "approval_decided",
        {
            "booking": Booking(pk=5, start=summer, end=summer + datetime.timedelta(hours=1)),
            "approval": None,
            "decision": "approved",
            "comment": "",
            "by": None,
        },
    )

    assert message.subject == "Starts 10:00"


def test_staff_wording_that_fails_on_real_values_falls_back_to_the_default(booker, caplog):
    # Saved without the admin's check, e.g. by a data migration: it cannot render at all.
    MessageTemplate.objects.create(
        event="report_ready", subject="{% url 'nowhere' %}", text_body="x"
    )

    message = write(enqueue("report_ready", to=booker, key="r.1", context=REPORT))

    assert message.subject == "Ready: March statement"
    assert "Staff wording for report_ready failed to render" in caplog.text


# Wording reads plain, listed values only: never a model, so never a secret.

SECRETS = [
    "{{ booking.user.password }}",
    "{{ recipient.password }}",
    "{{ booking.user.api_tokens.all }}",
    "{% for token in booking.user.api_tokens.all %}{{ token.token_hash }}{% endfor %}",
    "{% for device in recipient.totpdevice_set.all %}{{ device.key }}{% endfor %}",
    "{{ booking.resource.lab.coordinators.user_set.all }}",
    "{% if booking.user.password %}x{% endif %}",
    "{{ booking.note|default:booking.user.password }}",
    "{% firstof booking.user.password 'x' %}",
]


@pytest.mark.parametrize("source", SECRETS)
def test_saving_wording_that_names_anything_unlisted_is_refused(facility, source):
    form = form_for(event="booking_confirmed", text_body=source)

    assert not form.is_valid()
    error = " ".join(form.errors["text_body"])
    assert "Unknown name “" in error
    assert "This message can use: booking, booking.id, booking.start" in error
    assert "booking.user.email" in error and "password" not in error.split("can use:")[1]


@pytest.mark.parametrize(
    ("source", "tag"),
    [
        ("{% debug %}", "debug"),
        ("{% include 'workflows/email/layout.html' %}", "include"),
        ("{% load static %}", "load"),
        ("{% with u=booking.user %}{{ u }}{% endwith %}", "with"),
        ("{% autoescape off %}{{ booking.note }}{% endautoescape %}", "autoescape"),
    ],
)
def test_saving_wording_with_tags_that_could_reach_further_is_refused(facility, source, tag):
    form = form_for(event="booking_confirmed", text_body=source)

    assert not form.is_valid()
    assert f"The tag “{tag}” cannot be used" in " ".join(form.errors["text_body"])


def test_unsafe_filters_and_loops_over_groups_are_refused(facility):
    unsafe = form_for(event="booking_confirmed", html_body="{{ booking.note|safe }}")
    loop = form_for(
        event="booking_confirmed", text_body="{% for x in booking %}{{ x }}{% endfor %}"
    )

    assert not unsafe.is_valid() and "The filter “safe”" in str(unsafe.errors["html_body"])
    assert not loop.is_valid() and "goes through a list only" in str(loop.errors["text_body"])


def test_the_admin_refuses_a_password_with_the_unknown_name_next_to_the_field(
    client, site_admin, facility
):
    sign_in_with_second_factor(client, site_admin)

    response = client.post(
        ADD_URL,
        {
            "event": "booking_confirmed",
            "subject": "Hi",
            "text_body": "{{ booking.user.password }}",
            "html_body": "",
        },
    )

    assert response.status_code == 200
    assert "Unknown name “booking.user.password”" in response.content.decode()
    assert not MessageTemplate.objects.exists()


@pytest.fixture
def confirmed(instrument, booker, project):
    from booking.models import Booking
    from tests.workflows.conftest import at

    return Booking.objects.create(
        resource=instrument,
        user=booker,
        project=project,
        start=at(1, 10),
        end=at(1, 11),
        status=Booking.Status.CONFIRMED,
        exclusive=True,
    )


def secrets_of(user) -> list[str]:
    from people.api_tokens import ApiToken, create_token

    create_token(user=user, name="script", scope=ApiToken.Scope.READ, days=30)
    return [user.password, *user.api_tokens.values_list("token_hash", flat=True)]


def test_saved_wording_that_names_secrets_sends_the_default_and_nothing_secret(
    booker, confirmed, caplog
):
    from workflows.notifications import booking_context

    secrets = secrets_of(booker)
    # Saved without the admin's check, e.g. by a data migration.
    MessageTemplate.objects.create(
        event="booking_confirmed",
        subject="{{ booking.user.password }}",
        text_body="{% for t in recipient.api_tokens.all %}{{ t.token_hash }}{% endfor %}",
    )

    message = write(
        enqueue("booking_confirmed", to=booker, key="b.1", context=booking_context(confirmed))
    )

    written = message.subject + message.text_body + message.html_body
    assert all(secret not in written for secret in secrets)
    assert message.subject.startswith("Confirmed: Confocal LSM 980")
    assert "Staff wording for booking_confirmed failed to render" in caplog.text


def test_wording_rendered_without_the_check_still_has_no_model_to_read(booker, confirmed):
    from workflows.notifications import booking_context, common_context
    from workflows.wording_values import values

    secrets = secrets_of(booker)
    context = values("booking_confirmed", {**common_context(booker), **booking_context(confirmed)})
    unchecked = wording.Wording(
        "{{ booking.user.password }}{{ recipient.password }}",
        "{{ booking.user }} {% for t in recipient.api_tokens.all %}{{ t.token_hash }}{% endfor %}"
        "{{ booking.values }}{{ booking.items }}{{ recipient.keys }}",
        "",
    )

    message = wording._message("booking_confirmed", context, unchecked)

    assert message.subject == ""
    assert message.text.startswith("Bea Booker ")
    assert all(secret not in message.text + message.html for secret in secrets)


def test_every_events_default_wording_renders_from_plain_values(facility):
    from workflows.notifications import EVENTS, sample_context

    for event in EVENTS:
        message = wording.render(event, sample_context(event))
        assert message.subject.strip() and message.text.strip(), event
        assert "None" not in message.subject, event
