"""moto server with requests processed one at a time.

moto's own `moto_server` runs its WSGI app on a threaded werkzeug server with no locking in the
DynamoDB backend: concurrent requests can interleave a condition check with another request's
write, and a cancelled TransactWriteItems restores a deep copy of the table over other requests'
writes. Real DynamoDB serializes writes to an item and runs transactions atomically, and the
service's concurrency guarantees (one identity claim, one lease holder, spend never past a cap) rely
on that. This launcher serves the very same moto application, keeps connections concurrent
(HTTP/1.1 keep-alive), and processes one request at a time, which is what those guarantees need.

Usage: python moto_serialized.py -H 127.0.0.1 -p PORT
"""
import argparse
import os
import threading

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple


def serialized(app):
    lock = threading.Lock()

    def application(environ, start_response):
        with lock:
            # materialise the body inside the lock: moto computes it lazily in some handlers
            return list(app(environ, start_response))

    return application


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, serialized(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
