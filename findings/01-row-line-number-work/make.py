# Row export whose every line holds 4,300 numbers `1e308` (26 KB a line, just under the
# per-line MIN_NUMBER_WORK of 2^26 digit operations): each line costs ~65 ms to read.
import sys
n_lines = int(sys.argv[1]) if len(sys.argv) > 1 else 200
nums = ",".join(["1e308"] * 4300)
z = "0x" + "0" * 64
row = '{"seq":%d,"thisHash":"' + z + '","prevHash":"' + z + '","x":[' + nums + ']}\n'
with open("slow-rows.jsonl", "w") as f:
    for i in range(1, n_lines + 1):
        f.write(row % i)
