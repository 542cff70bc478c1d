from django.utils.functional import SimpleLazyObject

from .queries import open_task_count


def approvals_waiting(request) -> dict:
    """How many requests wait for the signed-in user; counted only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"approvals_waiting": 0}
    return {"approvals_waiting": SimpleLazyObject(lambda: open_task_count(user))}
