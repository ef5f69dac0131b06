"""Email: Vietnamese templates, the outbox (enqueue), digests, and the delivery worker.

Flow: a decision becomes a :class:`~notifications.outbox.MailSpec`; :func:`enqueue` renders
it into a ``Notification`` row; :func:`build_digests` gathers held rows into daily digests;
:func:`deliver` / :func:`deliver_async` send due rows through a sender (SMTP or mail drop).
"""

from dondoc.notifications.delivery import DeliveryReport, deliver, deliver_async
from dondoc.notifications.digests import build_digests
from dondoc.notifications.outbox import MailSpec, enqueue

__all__ = ["DeliveryReport", "MailSpec", "build_digests", "deliver", "deliver_async", "enqueue"]
