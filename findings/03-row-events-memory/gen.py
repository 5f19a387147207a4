# Writes consumed.jsonl and notconsumed.jsonl (200 MB each) in the current directory.
big = 'w' * (1000 * 1000)
line = ('{"action":"wave.consumed","customerId":"cust-0042","waveId":"%s"}\n' % big).encode()
open('consumed.jsonl', 'wb').write(line * 200)
open('notconsumed.jsonl', 'wb').write(line.replace(b'wave.consumed', b'wave.consumex') * 200)
