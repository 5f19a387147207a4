#!/bin/sh
# Red team 5, finding 02: one long line in a receipt file costs time quadratic in its
# length and memory equal to it (the streamed path of `receipt verify`).
# usage: repro.sh RECEIPT_BIN KEYFILE
R=$1; K=$2; D=${TMPDIR:-/tmp}/rt5-02; mkdir -p $D
for n in 128 256 512; do
  head -c ${n}000000 /dev/zero | tr '\0' 'x' > $D/line$n   # one line, no newline
  /usr/bin/time -f "$n MB, no newline: %e s, %M KB max RSS" $R verify -k $K $D/line$n | head -1
done
# A JSON Lines file whose second line is long: held whole in memory (the carry).
{ echo '{}'; head -c 512000000 /dev/zero | tr '\0' 'x'; echo; } > $D/lines
/usr/bin/time -f "JSON Lines with a 512 MB line: %e s, %M KB max RSS" $R verify -k $K $D/lines | head -1
# 512 MB of spaces: blank, held whole too.
head -c 512000000 /dev/zero | tr '\0' ' ' > $D/blank
/usr/bin/time -f "512 MB of spaces: %e s, %M KB max RSS" $R verify -k $K $D/blank | head -1
rm -rf $D
