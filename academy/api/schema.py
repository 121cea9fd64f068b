"""The schema describes the Academy API only (Wagtail's admin API is internal to the admin)."""


def only_api_v1(endpoints):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
