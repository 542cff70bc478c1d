"""A policy's current version is its live revision: what a researcher accepts."""

from labpages.models import PolicyPage


def reload(policy: PolicyPage) -> PolicyPage:
    return PolicyPage.objects.get(pk=policy.pk)


def test_a_published_policys_current_version_is_its_live_revision(facility):
    revision = facility.safety_policy.save_revision()
    revision.publish()

    assert reload(facility.safety_policy).current_version_id == revision.pk


def test_republishing_a_policy_changes_its_current_version(facility):
    policy = facility.safety_policy
    first = policy.save_revision()
    first.publish()
    policy = reload(policy)

    policy.body = "<p>Wear laser goggles at all times.</p>"
    second = policy.save_revision()
    second.publish()

    assert reload(policy).current_version_id == second.pk != first.pk


def test_a_draft_does_not_change_a_policys_current_version(facility):
    published = facility.safety_policy.save_revision()
    published.publish()
    policy = reload(facility.safety_policy)

    policy.body = "<p>A change under discussion.</p>"
    policy.save_revision()

    assert reload(policy).current_version_id == published.pk


def test_a_policy_draft_is_not_shown_until_published(client, facility):
    policy = facility.safety_policy
    policy.body = "<p>Wear laser goggles at all times.</p>"
    draft = policy.save_revision()

    assert "Wear laser goggles at all times." not in client.get(policy.url).text

    draft.publish()

    assert "Wear laser goggles at all times." in client.get(policy.url).text


def test_the_policy_page_shows_its_version(client, facility):
    revision = facility.safety_policy.save_revision()
    revision.publish()

    response = client.get(facility.safety_policy.url)

    assert f"Version {revision.pk}" in response.text
