#!/usr/bin/env python3
"""Drop-in for `moto_server` that loads the Navoy moto extension first.

    moto_server.py -H 127.0.0.1 -p 4566

The extension (moto_ext.py) is pinned to one moto release; start-up fails
with a clear message on any other version.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1", help="address to bind")
    parser.add_argument("-p", "--port", type=int,
                        default=int(os.environ.get("MOTO_PORT", 5000)), help="port")
    parser.add_argument("--log-requests", action="store_true",
                        default=os.environ.get("NAVOY_MOTO_LOG_REQUESTS") == "1",
                        help="log every request (the data plane polls several times a second, "
                             "so this is off by default; errors are always logged)")
    args = parser.parse_args(argv)

    import moto_ext
    import moto_perf

    moto_ext.check_moto_version()
    os.environ.setdefault("MOTO_PORT", str(args.port))

    from werkzeug.serving import run_simple

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )

    if not args.log_requests:
        import logging

        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    moto_ext.apply()
    moto_perf.apply()
    app = moto_ext.wrap_wsgi(DomainDispatcherApplication(create_backend_app))

    def _exit(signum: int, frame: object) -> None:
        sys.exit(0)

    signal.signal(signal.SIGINT, _exit)
    signal.signal(signal.SIGTERM, _exit)
    import moto_serialize

    print(f"moto {moto_ext.PINNED_MOTO_VERSION} with navoy extension v{moto_ext.EXT_VERSION} "
          f"on http://{args.host}:{args.port} (ECS serialiser: {moto_serialize.mode()})",
          flush=True)
    run_simple(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
