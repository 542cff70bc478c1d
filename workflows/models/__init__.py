from .approval_rules import ApprovalRule, ApprovalStep
from .delegation import Delegation
from .requests import ApprovalRequest, ApprovalTask

__all__ = ["ApprovalRequest", "ApprovalRule", "ApprovalStep", "ApprovalTask", "Delegation"]
