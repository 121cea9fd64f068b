"""``{% checkin_qr registration %}``: the personal check-in QR code shown in My Academy.

The QR encodes the full check-in URL, so a trainer's phone camera opens the check-in page directly.
That URL is read by another device, not followed inside this page, so it is made absolute with the
site's public address (``absolute_url``) rather than with whatever host the member's request used.
"""

from __future__ import annotations

import segno
from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from academy.attendance.services import checkin_token
from academy.core.urls import absolute_url

register = template.Library()


@register.simple_tag
def checkin_qr(registration) -> str:
    url = absolute_url(reverse("attendance:checkin_token", args=[checkin_token(registration)]))
    qr = segno.make(url, error="m", micro=False)
    svg = qr.svg_inline(scale=4, border=2, svgclass="checkin-qr", lineclass=None)
    return format_html('<figure class="checkin-qr" data-testid="checkin-qr" data-url="{}">{}</figure>', url,
                       mark_safe(svg))
