"""`python3 clients/python/bench.py --url URL --key KEY [--count 100000]`: sends `count`
occurrences through the client from one process and prints one JSON line with the rate.
npm run bench's `python` section runs it (bench/run.ts) and checks the rows arrived."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pattern_ledger import Client  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--prefix", default="bench:python")
    args = parser.parse_args()
    signatures = [f"{args.prefix}:{i}" for i in range(50)]
    with tempfile.TemporaryDirectory() as spool:
        client = Client(args.url, args.key, spool_dir=spool)
        started = time.perf_counter()
        for i in range(args.count):
            client.record_occurrence(
                signatures[i * 7 % 50],
                f"adw-bench-py-{i // 1000}-{i % 40}",
                similarity=0.9,
                characteristics={"keywords": ["bench"], "error_count": 0},
            )
        client.flush()
        seconds = time.perf_counter() - started
        spooled = len(client.spool.pending())
        client.close()
    print(
        json.dumps(
            {
                "rows": args.count,
                "seconds": round(seconds, 2),
                "rowsPerSecond": round(args.count / seconds),
                "spooledBatches": spooled,
            }
        )
    )


if __name__ == "__main__":
    main()
