"""moto server with requests processed one at a time.

moto's own `moto_server` runs its WSGI app on a threaded werkzeug server with no locking in the
DynamoDB backend: concurrent requests can interleave a condition check with another request's
write, and a cancelled TransactWriteItems restores a deep copy of the table over other requests'
writes. Real DynamoDB serializes writes to an item and runs transactions atomically, and the
service's concurrency guarantees (one identity claim, one lease holder, spend never past a cap) rely
on that. This launcher serves the very same moto application, keeps connections concurrent
(HTTP/1.1 keep-alive), and processes one request at a time, which is what those guarantees need.

It also keeps the table's stream whole across a cancelled TransactWriteItems: moto restores a deep
copy of the table on cancellation, stream shard included, so a reader's shard iterator would go on
reading the old shard while new records go to the copy (DynamoDB has one stream per table, and a
cancelled transaction writes nothing to it). Here the shard is shared by the copy, and the records
the cancelled transaction's first writes appended are taken off it.

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


def stream_kept_across_cancelled_transactions():
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import StreamShard

    StreamShard.__deepcopy__ = lambda self, memo: self  # one stream per table, never a copy
    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        lengths = {name: len(t.stream_shard.items) for name, t in self.tables.items() if t.stream_shard is not None}
        try:
            return original(self, transact_items)
        except Exception:
            for name, length in lengths.items():
                table = self.tables.get(name)
                if table is not None and table.stream_shard is not None:
                    del table.stream_shard.items[length:]
            raise

    DynamoDBBackend.transact_write_items = transact_write_items


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
    stream_kept_across_cancelled_transactions()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, serialized(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
