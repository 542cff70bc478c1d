"""The Notifications page: each signed-in person chooses reminders and booking updates."""

import pytest
from django.urls import reverse

from workflows.models import NotificationPreferences
from workflows.preferences import PreferencesRefused, update_preferences, wants

pytestmark = pytest.mark.django_db
URL = "/account/notifications/"


@pytest.fixture
def signed_in(client, booker, facility):
    client.force_login(booker)
    return client


def test_the_page_has_its_own_address():
    assert reverse("notifications:preferences") == URL


def test_a_visitor_is_asked_to_sign_in(client, facility):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/account/notifications/")


def test_it_shows_the_defaults_to_someone_who_never_chose(signed_in):
    page = signed_in.get(URL).content.decode()

    assert "<h1>Notifications</h1>" in page
    assert 'value="24" id="id_reminder_hours_4" required checked' in page
    assert page.count('name="wanted_topics"') == 7
    assert page.count("checked") == 8  # 24 hours, and every topic
    assert "approval needed" in page.lower()  # always sent, and says so


def test_the_header_links_to_it(signed_in):
    page = signed_in.get(reverse("booking:mine")).content.decode()

    assert f'href="{URL}"' in page


def test_saving_keeps_the_choices(signed_in, booker):
    response = signed_in.post(
        URL, {"reminder_hours": "2", "wanted_topics": ["booking_confirmed", "waitlist"]}
    )

    assert response.status_code == 302 and response["Location"] == URL
    saved = NotificationPreferences.objects.get(user=booker)
    assert saved.reminder_hours == 2
    assert "booking_ended" in saved.muted_topics and "waitlist" not in saved.muted_topics
    page = signed_in.get(URL).content.decode()
    assert "Your notification settings are saved." in page
    assert 'value="2" id="id_reminder_hours_2" required checked' in page


def test_reminders_can_be_turned_off(signed_in, booker):
    signed_in.post(URL, {"reminder_hours": "0"})

    booker.refresh_from_db()
    assert not wants(booker, "booking_reminder")
    assert not wants(booker, "booking_confirmed")  # nothing ticked: no updates either
    assert wants(booker, "approval_needed")


def test_an_unoffered_reminder_time_is_refused_next_to_the_field(signed_in, booker):
    response = signed_in.post(URL, {"reminder_hours": "5", "wanted_topics": ["waitlist"]})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Your settings were not saved" in page
    assert 'id="id_reminder_hours-error"' in page
    assert "Choose one of the reminder times offered." in page
    assert not NotificationPreferences.objects.filter(user=booker).exists()


def test_an_unknown_topic_is_refused(signed_in, booker):
    response = signed_in.post(URL, {"reminder_hours": "24", "wanted_topics": ["spam"]})

    assert "“spam” is not one of the updates offered." in response.content.decode()
    assert not NotificationPreferences.objects.filter(user=booker).exists()


def test_the_service_refuses_what_the_form_would(booker):
    with pytest.raises(PreferencesRefused):
        update_preferences(user=booker, reminder_hours=3, wanted_topics=set())
    with pytest.raises(PreferencesRefused):
        update_preferences(user=booker, reminder_hours=24, wanted_topics={"approval_needed"})
    assert not NotificationPreferences.objects.exists()


def test_only_get_and_post_are_answered(signed_in):
    assert signed_in.delete(URL).status_code == 405


def test_saved_preferences_are_read_once_per_user_object(booker, django_assert_num_queries):
    from people.models import User
    from workflows.notifications import TOPICS
    from workflows.preferences import preferences_of

    update_preferences(user=booker, reminder_hours=0, wanted_topics=set(TOPICS))
    fresh = User.objects.get(pk=booker.pk)
    with django_assert_num_queries(1):
        assert preferences_of(fresh).reminder_hours == 0
        assert preferences_of(fresh).reminder_hours == 0
    other = User.objects.get(pk=booker.pk)
    NotificationPreferences.objects.all().delete()
    with django_assert_num_queries(1):
        assert not preferences_of(other).pk  # unsaved defaults, and no second query
        assert preferences_of(other).reminder_hours == NotificationPreferences().reminder_hours
