# Writes onerow.jsonl (one hash-chained audit row) and heads.jsonl: N receipt-shaped
# lines {"batchHead": <that row's hash>} (unsigned: the verdict is "failed" either way;
# what is measured is memory). Usage: python3 make.py N
import hashlib, json, sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_500_000
row = {"seq": 0, "customerId": "cust-0042", "ts": "2026-03-02T09:00:00Z", "actor": "svc", "action": "x",
       "prevHash": "0x" + "0" * 64}
jcs = json.dumps(row, sort_keys=True, separators=(",", ":")).encode()
row["thisHash"] = "0x" + hashlib.sha256(jcs).hexdigest()
open("onerow.jsonl", "w").write(json.dumps(row) + "\n")
line = json.dumps({"batchHead": row["thisHash"]}, separators=(",", ":")) + "\n"
open("heads.jsonl", "w").write(line * n)
