"""`python -m pattern_ledger flush [--spool DIR] [--url URL] [--key KEY]`: sends the spooled
batches, oldest first. `status` says how many wait. Exit 0: all sent; 1: the server could not
be reached; 2: a batch was refused (moved to DIR/refused).

`python -m pattern_ledger hook`: a Claude Code command hook forwarding its stdin (hook.py); it
always exits 0. `hook-flush` sends what it spooled. `hook-command` prints the faster way to run
the hook, for `.claude/settings.json`."""

from __future__ import annotations

import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("hook", "hook-flush"):
        from .hook import main as hook_main

        return hook_main(args)
    if args and args[0] == "hook-command":
        from .hook import command

        print(command())
        return 0
    return _batches(args)


def _batches(argv: List[str]) -> int:
    import argparse

    from .client import Client
    from .errors import BatchRefused, ConfigurationError, Unreachable

    parser = argparse.ArgumentParser(prog="python -m pattern_ledger")
    parser.add_argument("command", choices=["flush", "status"])
    parser.add_argument("--spool", help="the spool directory (default: PATTERN_LEDGER_SPOOL)")
    parser.add_argument("--url", help="the server (default: PATTERN_LEDGER_URL)")
    parser.add_argument("--key", help="a write-scope API key (default: PATTERN_LEDGER_KEY)")
    args = parser.parse_args(argv)
    try:
        client = Client(args.url, args.key, spool_dir=args.spool)
    except ConfigurationError as error:
        print(error, file=sys.stderr)
        return 2
    waiting = len(client.spool.pending())
    if args.command == "status":
        print(f"{waiting} batches waiting in {client.spool.directory}")
        return 0
    try:
        sent = client.send_spool()
    except Unreachable as error:
        print(f"{error}; {len(client.spool.pending())} batches still waiting", file=sys.stderr)
        return 1
    except (BatchRefused, ConfigurationError) as error:
        print(error, file=sys.stderr)
        return 2
    print(f"sent {sent} of {waiting} spooled batches from {client.spool.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
