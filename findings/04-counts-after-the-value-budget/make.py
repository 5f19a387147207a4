# mixed-big.jsonl (138 MB): 314,573 receipt-shaped lines, then 555,128 compact row lines.
rec = b'{"kid":"k","signature":"AA","batchHead":"0x' + b"1" * 64 + b'"}\n'
row = b'{"seq":1,"thisHash":"0x' + b"2" * 64 + b'","customerId":"c","prevHash":"0x' + b"0" * 64 + b'"}\n'
n1 = (33 << 20) // len(rec) + 1
n2 = (n1 * len(rec) * 3) // len(row)
with open("mixed-big.jsonl", "wb") as f:
    f.write(rec * n1)
    f.write(row * n2)
print(n1, "receipt lines,", n2, "row lines")
