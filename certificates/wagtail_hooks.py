"""Registers the certificates' Wagtail admin: the read-only lists (``certificates.viewsets``) and the
staff actions (``certificates.admin_views``), grouped under one staff-only menu."""

from __future__ import annotations

from django.dispatch import receiver
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from academy.core.permissions import StaffMenuItem
from academy.courses.operations import CourseTab, course_operations_tabs

from . import admin_views
from .viewsets import BulkIssueJobViewSet, CertificateViewSet

certificate_viewset = CertificateViewSet("certificates_list")
job_viewset = BulkIssueJobViewSet("certificates_jobs")


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [certificate_viewset, job_viewset]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("academy/certificates/", admin_views.courses_index, name="certificates_admin"),
        path("academy/certificates/<int:course_id>/", admin_views.course_detail, name="certificates_admin_course"),
        path("academy/certificates/<int:course_id>/issue/", admin_views.issue, name="certificates_admin_issue"),
        path("academy/certificates/c/<int:pk>/<str:action>/", admin_views.certificate_action,
             name="certificates_admin_action"),
    ]


certificates_menu = Menu(register_hook_name="register_certificates_menu_item", construct_hook_name=None)


@hooks.register("register_certificates_menu_item")
def register_by_course_item():
    return StaffMenuItem(_("By course"), reverse("certificates_admin"), icon_name="date", order=100)


@hooks.register("register_certificates_menu_item")
def register_list_item():
    return StaffMenuItem(_("All certificates"), reverse("certificates_list:index"), icon_name="doc-full",
                         order=200)


@hooks.register("register_certificates_menu_item")
def register_jobs_item():
    return StaffMenuItem(_("Bulk issue jobs"), reverse("certificates_jobs:index"), icon_name="tasks", order=300)


@hooks.register("register_admin_menu_item")
def register_certificates_menu():
    return SubmenuMenuItem(_("Certificates"), certificates_menu, icon_name="doc-full", order=250)


@receiver(course_operations_tabs, dispatch_uid="certificates.course_tab")
def register_course_tab(sender, **kwargs) -> CourseTab:
    return CourseTab("certificates", _("Certificates"), 300, "certificates/admin/course_tab.html",
                     admin_views.course_tab)
