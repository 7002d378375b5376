#!/usr/bin/env python3
"""A corpus where nearly every word is new, to measure what vocabulary costs.

    python3 bench/vocab_corpus.py MILLIONS OUT.csv

Writes a CSV (columns id, text) whose rows each hold 500 words never seen
before and 500 drawn from a fixed set of 500 common ones, shuffled: about
MILLIONS million distinct terms and twice as many distinct bigrams.  Words
are a "q" and base-26 letters, so none is a stop word.  Used for the
memory table under Limits in the README.
"""
import sys, random
n_million = float(sys.argv[1]); out = sys.argv[2]
random.seed(7)
def word(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(97 + r) + s
    return "q" + s          # a q-prefix: never a stop word, never an English word
common = [word(10_000_000 + k) for k in range(500)]
rows = int(n_million * 1_000_000 / 500)
with open(out, "w") as f:
    f.write("id,text\n")
    nxt = 0
    for r in range(rows):
        ws = [word(nxt + k) for k in range(500)]
        nxt += 500
        ws += random.sample(common, 500)
        random.shuffle(ws)
        f.write(f"{r},{' '.join(ws)}\n")
