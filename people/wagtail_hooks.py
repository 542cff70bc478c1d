"""Admin screens for departments and projects (cost centres)."""

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Department, Project


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    panels = [FieldPanel("name"), FieldPanel("code")]


class ProjectViewSet(SnippetViewSet):
    model = Project
    icon = "tag"
    list_display = ["code", "name", "pi", "department", "active_from", "active_to"]
    list_filter = ["department"]
    search_fields = ["code", "name"]
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("pi"), FieldPanel("department")]),
        FieldPanel("members"),
        FieldRowPanel([FieldPanel("active_from"), FieldPanel("active_to")]),
    ]


class PeopleGroup(SnippetViewSetGroup):
    menu_label = "Projects"
    menu_icon = "tag"
    menu_order = 300
    items = (ProjectViewSet, DepartmentViewSet)


register_snippet(PeopleGroup)
