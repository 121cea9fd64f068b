"""A local Microsoft identity platform + Graph emulator over real HTTPS.

Microsoft's cloud is not reachable from CI or from the developers' machines, yet the client must be
exercised end to end: msal's OIDC discovery and client-credentials token request, TLS verification
with a custom CA bundle, Graph's request validation, paging, JSON batching and throttling. The
emulator is a small threaded HTTPS server on 127.0.0.1 that implements exactly the documented
surface the Academy uses and *enforces* request shapes, so a payload bug fails here the way it
would fail against Graph.

Typical use::

    with GraphEmulator() as emulator:
        client = GraphClient(emulator.config())
        meeting = client.create_online_meeting("Corso", start, end)
        emulator.faults.throttle(2, retry_after=3)   # the next two Graph calls get 429

Not a security boundary: tokens are opaque random strings, and it is meant for tests and demos.
"""

from .common import LoggedRequest
from .emulator import GraphEmulator
from .faults import Fault, Faults

__all__ = ["Fault", "Faults", "GraphEmulator", "LoggedRequest"]
