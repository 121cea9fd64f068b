"""Certificate HTML from the project's template.

Templates are rendered with a private :class:`django.template.Engine` pointed at the project's
``templates/`` directory, so rendering works with or without ``django.setup()`` (the benchmark script).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from django.template import Context, Engine

from .content import LABELS, CertificateContent, certificate_context

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
TEMPLATES_DIR = BASE_DIR / "templates"
TEMPLATE_NAME = "certificates/certificate.html"
STYLESHEET_PATH = TEMPLATES_DIR / "certificates" / "certificate.css"
STATIC_DIR = PACKAGE_DIR / "static" / "certificates"


@functools.cache
def _engine() -> Engine:
    """Standalone template engine: same DIRS as the project, no settings or app registry needed."""
    return Engine(dirs=[str(TEMPLATES_DIR)], autoescape=True, debug=False)


@functools.cache
def stylesheet_text() -> str:
    return STYLESHEET_PATH.read_text(encoding="utf-8")


def asset_base_url() -> str:
    return STATIC_DIR.as_uri() + "/"


def render_html(contents: Sequence[CertificateContent], *, inline_css: bool, asset_base: str) -> str:
    """HTML of ``contents``, one page each."""
    language = contents[0].language if contents else "it"
    context = {
        "lang": language,
        "document_title": LABELS[language]["document_title"],
        "stylesheet": stylesheet_text() if inline_css else "",
        "asset_base": asset_base,
        "certificates": [certificate_context(content) for content in contents],
    }
    return _engine().get_template(TEMPLATE_NAME).render(Context(context, autoescape=True))


def render_certificate_html(content: CertificateContent, *, asset_base: str | None = None) -> str:
    """Standalone HTML for one certificate (stylesheet inlined, QR code as inline SVG).

    ``asset_base`` is where ``logo.svg``/``signature.svg`` are found: by default a ``file://`` URL to
    ``certificates/static/certificates/`` (what WeasyPrint needs); a web view can pass the static URL.
    """
    return render_html([content], inline_css=True, asset_base=asset_base or asset_base_url())
