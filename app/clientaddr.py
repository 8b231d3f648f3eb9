"""The client's address, trusting ``X-Forwarded-For`` only as far as ``PROXY_COUNT`` says.

One rule for every caller (rate limits, sign-in lockout, the audit log): with
``PROXY_COUNT=0`` (the default) the socket peer is the client and forwarded headers are ignored,
so nobody can choose their own address by sending a header. With ``PROXY_COUNT=n`` the app sits
behind n proxies we run (nginx, a load balancer), each appending the address it saw: the client
is the n-th address from the right.
"""

from __future__ import annotations

from flask import current_app, has_request_context, request


def client_address() -> str:
    """The real client of this request, "cli" outside a request."""
    if not has_request_context():
        return "cli"
    peer = request.environ.get("REMOTE_ADDR", "") or ""
    count = int(current_app.config.get("PROXY_COUNT", 0) or 0)
    if count <= 0:
        return peer
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # Fewer hops than configured: the request did not come through our proxies.
        return peer
    return forwarded[-count][:64]
