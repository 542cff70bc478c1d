"""People and who pays: users (email login), departments and projects (cost centres)."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.search import index


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person who books, approves, coordinates or pays. The email address is the login."""

    class Category(models.TextChoices):
        INTERNAL = "internal", "Internal"
        EXTERNAL_ACADEMIC = "external_academic", "External academic"
        INDUSTRY = "industry", "Industry"

    username = None
    email = models.EmailField("email address", unique=True)
    category = models.CharField(
        max_length=20,
        choices=Category.choices,
        default=Category.INTERNAL,
        help_text="Decides which rate card prices this person's bookings and which approval "
        "rules apply.",
    )
    category_confirmed = models.BooleanField(
        "category confirmed",
        default=True,
        help_text="Self sign-ups start as external academic and unconfirmed (people.signup); "
        "staff set the right category and tick this to confirm it.",
    )
    department = models.ForeignKey(
        "people.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    supervisor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervisees",
        help_text="Supervisor or principal investigator.",
    )
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text="The language of the site, emails and statements for this person; empty: "
        "the browser's language on the site, the facility's default elsewhere.",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def name(self) -> str:
        return self.get_full_name() or self.email


class Department(index.Indexed, models.Model):
    """An organisational unit that members belong to and statements are grouped by."""

    code = models.SlugField(max_length=30, unique=True, help_text="Short code, e.g. CHEM.")
    name = models.CharField(max_length=200, unique=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(models.QuerySet["Project"]):
    def active_on(self, day: datetime.date) -> "ProjectQuerySet":
        return self.filter(
            Q(active_from__lte=day), Q(active_to__isnull=True) | Q(active_to__gte=day)
        )

    def for_member(self, user: User) -> "ProjectQuerySet":
        """The projects `user` may book against: as their PI or as a member."""
        return self.filter(Q(members=user) | Q(pi=user)).distinct()


class Project(index.Indexed, models.Model):
    """A cost centre that bookings are charged to. Its PI and members may book against it."""

    code = models.CharField(
        max_length=30, unique=True, help_text="The finance office's cost-centre code, e.g. ABC-123."
    )
    name = models.CharField(max_length=200)
    pi = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name="principal investigator",
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="projects")
    members = models.ManyToManyField(User, blank=True, related_name="projects")
    active_from = models.DateField()
    active_to = models.DateField(null=True, blank=True, help_text="Leave empty for open-ended.")

    objects = ProjectQuerySet.as_manager()

    search_fields = [
        index.SearchField("code"),
        index.SearchField("name"),
        index.AutocompleteField("code"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=models.F("active_from")),
                name="project_active_to_after_active_from",
                violation_error_message="A project cannot end before it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def has_member(self, user: User) -> bool:
        """Whether `user` may book against this project, as for_member() tells: its PI needs
        no query, a member one plain look-up (every booking asks)."""
        if self.pi_id == user.pk:
            return True
        return Project.members.through.objects.filter(project_id=self.pk, user_id=user.pk).exists()

    def is_active_on(self, day: datetime.date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


# Personal API tokens (made, used and revoked by people/api_tokens.py). Only a token's
# SHA-256 is stored (it has 240 bits of entropy, so an unsalted fast hash is enough), with its
# first characters kept in clear so that the owner can tell tokens apart in the list.

TOKEN_PREFIX = "lbt_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read only"
        READ_WRITE = "read_write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'lab script'.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_with_second_factor = models.BooleanField(
        default=False,
        editable=False,
        help_text="Made in a session verified with a second factor; staff tokens need it.",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_token() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(30)

    def is_usable(self, moment: datetime.datetime | None = None) -> bool:
        moment = moment or timezone.now()
        return self.revoked_at is None and self.expires_at > moment

    @property
    def allows_writes(self) -> bool:
        return self.scope == self.Scope.READ_WRITE


# Second factors live in a module of their own; Django finds them here.
from .devices import BackupCode, BackupCodeDevice  # noqa: E402

__all__ = ["ApiToken", "BackupCode", "BackupCodeDevice", "Department", "Project", "User"]
