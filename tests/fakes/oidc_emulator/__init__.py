"""A Microsoft identity platform emulator (OpenID Connect, multi-tenant "organizations" authority) that
speaks the protocol over HTTP on loopback: discovery, authorize, token (authorization code + PKCE S256),
JWKS with key rotation and RS256-signed id_tokens. Tests tell it who signs in next and how to misbehave."""

from .server import OIDCEmulator

__all__ = ["OIDCEmulator"]
