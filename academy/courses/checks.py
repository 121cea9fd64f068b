"""Checks that higher layers add to a course before it is saved (e.g. what the law asks of a course that
satisfies a legal obligation). ``academy.courses`` cannot import those layers: they answer the
``course_checked`` signal, and ``CoursePage.clean`` refuses the save with all their messages."""

from __future__ import annotations

from .signals import course_checked


def course_problems(course) -> list[str]:
    return [message for _receiver, messages in course_checked.send(sender=type(course), course=course)
            for message in messages]
