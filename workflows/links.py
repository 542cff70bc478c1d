"""Email links to an approval decision: signed, expiring, and dead once the task is decided.

The token carries the task id and the task's nonce; deciding clears the nonce, so a link
works until its task is decided (by any route) or it is older than APPROVAL_LINK_MAX_AGE.
"""

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from labitory.refusals import Refused

from .models import ApprovalTask
from .permissions import can_decide

SALT = "workflows.approval-link"


class BadLink(Refused):
    """An emailed decision link that is not the reader's, used, or expired."""


def link_token(task: ApprovalTask) -> str:
    return signing.dumps({"task": task.pk, "nonce": task.link_nonce}, salt=SALT, compress=True)


def task_for_link(token: str, user) -> ApprovalTask:
    """The task a link addresses, if it is genuine, fresh, unused and addressed to `user`."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.APPROVAL_LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise BadLink(
            "link_expired", _("This link has expired: open your approvals list.")
        ) from error
    except signing.BadSignature as error:
        raise BadLink("link_invalid", _("This link is not valid.")) from error
    task = (
        ApprovalTask.objects.filter(pk=data.get("task")).select_related("request__booking").first()
    )
    if task is None:
        raise BadLink("link_invalid", _("This link is not valid."))
    if task.approver_id != user.pk:
        raise BadLink(
            "link_not_yours",
            _("This link was sent to someone else. Sign in as the person it was sent to."),
        )
    if not data.get("nonce") or data["nonce"] != task.link_nonce:
        raise BadLink("link_used", _("This request has already been decided: the link is used up."))
    if not can_decide(user, task):
        raise BadLink(
            "link_own_booking", _("This is your own booking: someone else must decide it.")
        )
    return task
