"""Pieces of ``benchmarks/topology.py``: the SMTP sink and the documents check through nginx."""

from __future__ import annotations

import secrets
import threading
from email import message_from_bytes

from benchmarks.rushlib import free_port


class Sink:
    """An SMTP server (aiosmtpd) on loopback that keeps (Message-ID, recipient) of every message."""

    def __init__(self, port: int = 0):
        from aiosmtpd.controller import Controller

        self.received: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                message = message_from_bytes(envelope.original_content or envelope.content)
                with sink.lock:
                    for rcpt in envelope.rcpt_tos:
                        sink.received.append((message.get("Message-ID", ""), rcpt))
                return "250 OK"

        self.port = port or free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


def make_documents() -> dict[str, tuple[str, str, bytes]]:
    """A public Wagtail document and one in a collection restricted to signed-in users:
    name -> (serve URL, file URL under /media/, content)."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    root = Collection.get_first_root_node()
    private = root.add_child(instance=Collection(name="Riservati (topology)"))
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    documents = {}
    for name, collection in (("public", root), ("restricted", private)):
        content = f"%PDF-1.4 {name} {secrets.token_hex(8)}".encode()
        doc = get_document_model()(title=f"topology {name}", collection=collection)
        doc.file.save(f"topology-{name}.pdf", ContentFile(content), save=False)
        doc.save()
        documents[name] = (doc.url, f"/media/{doc.file.name}", content)
    return documents


def check_documents(base: str, documents: dict[str, tuple[str, str, bytes]]) -> tuple[bool, str]:
    """Through nginx, anonymously: the public document is served (by nginx after the app's check), the
    restricted one is refused, and neither file is served by its name under /media/."""
    import requests

    answers = {}
    for name, (url, file_url, content) in documents.items():
        served = requests.get(base + url, timeout=10, allow_redirects=False)
        by_name = requests.get(base + file_url, timeout=10, allow_redirects=False)
        answers[name] = (served.status_code, served.content == content, by_name.status_code,
                         content in by_name.content)
    public, restricted = answers["public"], answers["restricted"]
    ok = (public[:2] == (200, True) and restricted[0] != 200 and not restricted[1]
          and not public[3] and not restricted[3] and public[2] == restricted[2] == 404)
    return ok, (f"documents through nginx: public {public[0]} (content {'ok' if public[1] else 'WRONG'}), "
                f"restricted {restricted[0]}{' (CONTENT LEAKED)' if restricted[1] else ''}; "
                f"by file name: public {public[2]}, restricted {restricted[2]}")
