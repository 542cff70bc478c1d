"""Accepting a policy: the live version is recorded once; pages show where a person stands."""

import datetime
import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from booking.models import PolicyAcceptance, RequiredPolicy
from booking.services import PolicyUnavailable, accept_policy
from labpages.models import PolicyPage
from tests.booking.conftest import NOW
from tests.booking.views.screens import errors_of, local, post_booking
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def publish(policy: PolicyPage, body: str | None = None) -> PolicyPage:
    if body:
        policy.body = body
    policy.save_revision().publish()
    return PolicyPage.objects.get(pk=policy.pk)


@pytest.fixture
def policy(facility) -> PolicyPage:
    """A policy the confocal requires: the resource's required policies are what make a
    policy one to accept."""
    page = publish(facility.safety_policy)
    RequiredPolicy.objects.create(resource=facility.confocal.resource, policy=page)
    return page


@pytest.fixture
def signed_in(client, researcher):
    client.force_login(researcher)
    return client


def accept_url(page) -> str:
    return reverse("booking:accept_policy", args=[page.pk])


# The service.


def test_accepting_records_the_live_version_and_the_time(policy, researcher):
    acceptance = accept_policy(user=researcher, policy_page_id=policy.pk, now=NOW)

    assert acceptance.policy_id == policy.pk
    assert acceptance.revision_id == policy.live_revision_id
    assert acceptance.accepted_at == NOW
    assert PageLogEntry.objects.filter(
        page=policy, action="booking.policy_accepted", user=researcher
    ).exists()


def test_accepting_twice_keeps_one_record(policy, researcher):
    first = accept_policy(user=researcher, policy_page_id=policy.pk, now=NOW)
    again = accept_policy(
        user=researcher, policy_page_id=policy.pk, now=NOW + datetime.timedelta(days=1)
    )
    assert again.pk == first.pk and again.accepted_at == NOW
    assert PolicyAcceptance.objects.count() == 1


def test_a_new_version_is_accepted_anew(policy, researcher):
    accept_policy(user=researcher, policy_page_id=policy.pk, now=NOW)
    policy = publish(policy, "<p>Goggles and gloves.</p>")
    accept_policy(user=researcher, policy_page_id=policy.pk, now=NOW)
    assert PolicyAcceptance.objects.filter(user=researcher).count() == 2


def test_unpublished_pages_and_ordinary_pages_cannot_be_accepted(facility, policy, researcher):
    with pytest.raises(PolicyUnavailable):
        accept_policy(user=researcher, policy_page_id=facility.confocal.pk)
    policy.unpublish()
    with pytest.raises(PolicyUnavailable):
        accept_policy(user=researcher, policy_page_id=policy.pk)
    with pytest.raises(PolicyUnavailable):
        accept_policy(user=researcher, policy_page_id=999_999)
    assert not PolicyAcceptance.objects.exists()


def test_a_policy_no_resource_requires_is_not_one_to_accept(facility, researcher):
    page = publish(facility.safety_policy)
    with pytest.raises(PolicyUnavailable):
        accept_policy(user=researcher, policy_page_id=page.pk)


# The policy page and the accept button.


def test_a_signed_in_person_sees_accept_this_policy(signed_in, policy):
    response = signed_in.get(policy.url)
    assert "Accept this policy" in response.text
    assert accept_url(policy) in response.text


def test_accepting_from_the_page_returns_to_it(signed_in, policy, researcher):
    response = signed_in.post(accept_url(policy), {"next": policy.url})

    assert response.status_code == 302 and response.url == policy.url
    assert PolicyAcceptance.objects.filter(user=researcher, policy=policy).exists()
    page = signed_in.get(policy.url).text
    assert "You accepted this version on" in page
    assert "Accept this policy</button>" not in page


def test_after_a_new_version_the_page_asks_again(signed_in, policy, researcher):
    accept_policy(user=researcher, policy_page_id=policy.pk, now=NOW)
    publish(policy, "<p>Goggles and gloves.</p>")
    page = signed_in.get(policy.url).text
    assert "You accepted an earlier version on" in page
    assert "Accept this policy" in page


def test_an_anonymous_visitor_is_asked_to_sign_in_to_accept(client, policy):
    page = client.get(policy.url).text
    assert "Sign in to accept" in page
    assert reverse("account_login") in page


def test_a_policy_for_information_has_no_accept_button(signed_in, facility):
    page = publish(facility.safety_policy)
    assert "Accept this policy" not in signed_in.get(page.url).text


def test_accepting_needs_a_post_and_a_signed_in_person(client, signed_in, policy):
    assert signed_in.get(accept_url(policy)).status_code == 405
    client.logout()
    response = client.post(accept_url(policy))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_accepting_a_page_that_is_not_a_policy_is_not_found(signed_in, facility):
    assert signed_in.post(accept_url(facility.confocal)).status_code == 404


def test_an_offsite_next_is_not_followed(signed_in, policy):
    response = signed_in.post(accept_url(policy), {"next": "https://evil.example/"})
    assert response.url == policy.url


# The instrument page lists what is still to accept.


def test_the_instrument_page_links_the_required_policies_still_to_accept(
    signed_in, facility, policy, researcher
):
    ProjectFactory(members=[researcher])

    page = signed_in.get(facility.confocal.url).text
    assert "Accept first:" in page and f'href="{policy.url}"' in page

    accept_policy(user=researcher, policy_page_id=policy.pk)
    page = signed_in.get(facility.confocal.url).text
    assert "Accept first:" not in page
    assert "You have accepted the required policies." in page


def test_accepting_from_a_booking_link_returns_to_the_booking(
    signed_in, facility, policy, researcher
):
    back = f"{facility.confocal.url}#book"
    page = signed_in.get(policy.url, {"next": back}).text
    assert f'name="next" value="{back}"' in page

    response = signed_in.post(accept_url(policy), {"next": back})
    assert response.url == back
    page = signed_in.get(policy.url, {"next": back}).text
    assert "Back to booking" in page


# One source of truth: the resources' required policies; the policy page reports them.


def test_a_policy_page_has_no_flag_of_its_own_to_disagree_with_the_resources():
    assert "must_accept" not in {field.name for field in PolicyPage._meta.get_fields()}


def test_the_policy_page_names_the_instruments_that_require_it(signed_in, facility, policy):
    page = signed_in.get(policy.url).text

    assert "Required before booking:" in page
    assert f'<a href="{facility.confocal.url}">{facility.confocal.resource.name}</a>' in page


def test_the_policy_page_and_the_booking_rule_give_the_same_answer(signed_in, facility, researcher):
    from booking.rules import Proposal, check_policies

    page = publish(facility.safety_policy)
    resource = facility.confocal.resource
    start = NOW + datetime.timedelta(days=1)

    def rule_requires() -> bool:
        return check_policies(Proposal(resource, researcher, None, start, start), NOW) is not None

    def page_says_required() -> bool:
        return "Required before booking:" in signed_in.get(page.url).text

    assert not rule_requires() and not page_says_required()
    assert "you do not need to accept it to book" in signed_in.get(page.url).text
    RequiredPolicy.objects.create(resource=resource, policy=page)
    assert rule_requires() and page_says_required()


def test_accepting_a_policy_from_a_refused_booking_returns_to_the_chosen_slot(
    signed_in, facility, policy, researcher
):
    resource = facility.confocal.resource
    project = ProjectFactory(members=[researcher])
    start, end = local(2, 10), local(2, 11, 30)
    refused = post_booking(signed_in, resource, project, start, end, note="Live cells")
    assert "Accept the current version of these policies first" in errors_of(refused)

    link = re.search(rf'href="{re.escape(policy.url)}\?next=([^"]+)"', refused.text)
    back = unquote(unescape(link.group(1)))
    accepted = signed_in.post(accept_url(policy), {"next": back})
    form = signed_in.get(accepted.url).text

    assert accepted.url == back
    assert f'value="{start:%Y-%m-%d}"' in form and 'value="10:00"' in form
    assert 'value="11:30"' in form and "Live cells" in form
    assert f'<option value="{project.pk}" selected>' in form
