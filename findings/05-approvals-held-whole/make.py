#!/usr/bin/env python3
"""Red team 5, finding 05: N MB of wave approvals (JSON Lines) cost N MB of memory.
usage: make.py examples/approvals.json OUT.jsonl [COUNT]  (each line about 1 MB)"""
import json, sys
a = json.load(open(sys.argv[1]))
a0 = dict(a[0] if isinstance(a, list) else a)
a0["note"] = "x" * 1_000_000  # an unknown member: part of the signed wave, kept with it
line = json.dumps(a0, separators=(",", ":")).encode()
with open(sys.argv[2], "wb") as f:
    for _ in range(int(sys.argv[3]) if len(sys.argv) > 3 else 200):
        f.write(line + b"\n")
