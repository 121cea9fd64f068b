"""Questions the registrations layer asks the layers above, as signals (``docs/architecture.md``).

Both are sent with ``send`` and read from the responses, in the order the receivers connected
(``INSTALLED_APPS`` order); a receiver that has nothing to say returns an empty value.

``join_url_wanted`` (kwargs ``session``, ``registration``): the personal join link of an online session,
asked when an invitation is rendered in the delivering worker (possibly slow: Graph), never inside a
registration request; the first non-empty answer is used. Receiver: Teams.

``move_announced`` (kwargs ``session``): True from a receiver that sends the "session moved" e-mail itself
once its part is ready (Teams: after the meeting the e-mail links to is moved or re-created, calling
``cancelling.notify_rescheduled``); otherwise the registrations layer sends it at once.
"""

from django.dispatch import Signal

join_url_wanted = Signal()
move_announced = Signal()
