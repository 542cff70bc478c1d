"""Approval endpoints: list and read your tasks, approve or reject one. Each decision is one
call to `workflows.approvals.decide`; its refusals keep their codes and take their HTTP
status from the project's one table (labitory/refusals.py)."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from labitory.api.fields import ID_PATTERN, parsed
from workflows import approvals, queries
from workflows.models import ApprovalTask

from .filters import ApprovalTaskFilter
from .serializers import ApprovalTaskSerializer, DecisionSerializer

DECISION_ERRORS = (
    "Refusals keep the approval service's codes: `comment_required` (400), "
    "`already_decided` (409: this step was decided, by you or another approver), "
    "`request_approved`, `request_rejected`, `request_cancelled`, `request_expired`, "
    "`request_superseded` (409: the request is closed; a change to the booking supersedes its "
    "request with a fresh one), `own_booking` (403: nobody decides a booking they hold, "
    "even one handed over to them). Another approver's task is a 404."
)

EXAMPLE_REJECT = OpenApiExample(
    "Reject with a reason", value={"comment": "The laser is booked for servicing that week."}
)


@extend_schema_view(
    list=extend_schema(
        summary="Approval tasks waiting for you, earliest booking first",
        description="Undecided steps of requests that still wait, across every chain you "
        "are in (also as a delegate).",
    ),
    retrieve=extend_schema(
        summary="One of your approval tasks, decided or not",
        description="Another approver's task is a 404.",
    ),
)
class ApprovalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's approval tasks. Lookups are by (task, approver), like the site's screens."""

    queryset = ApprovalTask.objects.none()
    serializer_class = ApprovalTaskSerializer
    filterset_class = ApprovalTaskFilter
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApprovalTask.objects.none()
        if self.action == "list":
            return queries.open_tasks(self.request.user)
        return ApprovalTask.objects.filter(approver=self.request.user).select_related(
            "request__booking__resource__lab",
            "request__booking__user",
            "request__booking__project",
            "on_behalf_of",
        )

    def filter_queryset(self, queryset):
        # Filters narrow the list only; they never hide the task a decision is aimed at.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def _decide(self, request: Request, *, approve: bool) -> Response:
        task = self.get_object()
        data = parsed(DecisionSerializer, request.data)
        approvals.decide(task, by=request.user, approve=approve, comment=data["comment"])
        return Response(ApprovalTaskSerializer(self.get_object()).data)

    @extend_schema(
        summary="Approve this step",
        description="The request moves to its next step, or the booking is confirmed after "
        "the last one. The comment (optional) is sent to the booker. " + DECISION_ERRORS,
        request=DecisionSerializer,
        responses=ApprovalTaskSerializer,
        examples=[OpenApiExample("Approve", value={"comment": "Fine by me."})],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request: Request, pk: str) -> Response:
        return self._decide(request, approve=True)

    @extend_schema(
        summary="Reject the request",
        description="The booking is rejected and its slot freed; the comment, which is "
        "required, is sent to the booker. " + DECISION_ERRORS,
        request=DecisionSerializer,
        responses=ApprovalTaskSerializer,
        examples=[EXAMPLE_REJECT],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reject(self, request: Request, pk: str) -> Response:
        return self._decide(request, approve=False)
