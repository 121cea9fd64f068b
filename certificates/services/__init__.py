"""Certificate operations, called by pages, the Wagtail admin, commands and tasks.

* :mod:`.rules` - eligibility (the attendance threshold) and certified hours;
* :mod:`.content` - what a certificate prints and its public verify URL;
* :mod:`.issuing` - issue, re-issue and revoke one certificate;
* :mod:`.bulk` - issue a course's certificates, also as a background job;
* :mod:`.delivery` - stored PDFs, the e-mail, who may download, the course ZIP;
* :mod:`.badges` - the Open Badges 3.0 export.

PDFs are rendered by ``certificates.rendering`` (one path) and signed by ``academy.core.signing``.
"""

from .badges import open_badge, signed_open_badge, signing_key
from .bulk import BulkIssueResult, issue_for_course, run_batch, run_bulk_issue, start_bulk_issue
from .content import content_for, person_language, verify_path, verify_url
from .delivery import may_download, pdf_bytes, stored_signature, write_course_zip
from .issuing import issue_certificate, reissue, revoke
from .rules import (
    CertificateError,
    Eligibility,
    attendance_threshold,
    certified_hours,
    course_eligibility,
    eligibility_for,
    planned_minutes,
)

__all__ = [
    "BulkIssueResult", "CertificateError", "Eligibility", "attendance_threshold", "certified_hours",
    "content_for", "course_eligibility", "eligibility_for", "issue_certificate", "issue_for_course",
    "may_download", "open_badge", "pdf_bytes", "person_language", "planned_minutes", "reissue", "revoke", "run_batch", "run_bulk_issue",
    "signed_open_badge", "signing_key", "start_bulk_issue", "stored_signature", "verify_path", "verify_url", "write_course_zip",
]
