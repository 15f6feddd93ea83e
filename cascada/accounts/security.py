"""The client's address for login throttling (``AXES_CLIENT_IP_CALLABLE``).

Without reverse proxies it is ``REMOTE_ADDR``. Behind ``CASCADA_PROXIES`` proxies, each of
which appends the address it saw to ``X-Forwarded-For``, it is the entry that the outermost
proxy added: entries further left come from the client and could be forged.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies = int(getattr(settings, "CASCADA_PROXIES", 0))
    if proxies > 0:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None
