"""Checks that higher layers add to a course before it is saved (e.g. what the law asks of a course that
satisfies a legal obligation). ``academy.courses`` cannot import those layers: they register a function
here, ``CoursePage.clean`` runs them all and refuses the save with their messages."""

from __future__ import annotations

from collections.abc import Callable

COURSE_CHECKS: list[Callable] = []  # each: check(course) -> list of translated messages


def register_course_check(check: Callable) -> Callable:
    if check not in COURSE_CHECKS:
        COURSE_CHECKS.append(check)
    return check


def course_problems(course) -> list[str]:
    return [message for check in COURSE_CHECKS for message in check(course)]
