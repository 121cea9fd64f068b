"""What the certificates app tells the layers above it (the API's webhooks), without knowing them."""

from django.dispatch import Signal

#: Sent inside the transaction of a bulk issue with the ``CertificateEvent`` rows it wrote with
#: ``bulk_create`` (which sends no ``post_save``). kwargs: ``events`` (a list of ``CertificateEvent``).
events_created_in_bulk = Signal()
