#!/usr/bin/env python3
"""vaderSentiment 3.3.2 on every document (the `text` column) of a CSV file:
the reference side of bench/run.sh --reference."""
import csv
import sys

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

csv.field_size_limit(1 << 30)
analyzer = SentimentIntensityAnalyzer()
total = 0.0
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        total += analyzer.polarity_scores(row["text"])["compound"]
print(total)
