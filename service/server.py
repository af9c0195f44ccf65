"""`newsdesk serve`: uvicorn around the app, with a shutdown that does not wait on work nobody
will read.

On SIGTERM/SIGINT uvicorn stops accepting connections and waits for the requests in flight.
A request's translation runs in a worker thread, and cancelling the asyncio task that waits on
it does not stop the thread: without help, a long request kept the process (and a core) busy
for minutes after SIGTERM. So the requests in flight get `shutdown_grace_s` to finish, then
their cancellation events are set (`service.cancellation`), their threads stop at the next
engine slice, and uvicorn's own deadline a little later is only the backstop.
"""

from __future__ import annotations

import threading
from types import FrameType

import uvicorn

from service.api.boundary import InFlight
from service.app import create_app
from service.config import Settings


class GracefulServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, in_flight: InFlight, grace_s: float) -> None:
        super().__init__(config)
        self.in_flight = in_flight
        self.grace_s = grace_s
        self._timer: threading.Timer | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._timer is None:
            self._timer = threading.Timer(self.grace_s, self.in_flight.cancel_all)
            self._timer.daemon = True
            self._timer.start()
        super().handle_exit(sig, frame)


def run_server(settings: Settings, host: str, port: int) -> None:
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        timeout_graceful_shutdown=settings.shutdown_grace_s + 2,
        # Behind a trusted proxy the client address (rate limits, log-in throttle) and the
        # scheme (Secure cookies) are the ones it forwards; anyone else's headers are ignored.
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )
    GracefulServer(config, app.state.in_flight, settings.shutdown_grace_s).run()
