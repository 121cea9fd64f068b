"""Sign-in with Microsoft (OpenID Connect, Microsoft identity platform, multi-tenant) through
django-allauth; see ``provider`` (the protocol), ``idtoken`` (token checks), ``linking`` (who the
identity is), ``tenants`` (which organisation a tenant belongs to) and docs/operations.md."""
