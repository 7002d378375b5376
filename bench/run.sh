#!/usr/bin/env bash
# Throughput benchmark: lexiscope against `wc -w` on the same file.
#
#   bench/run.sh                 # 100 MB corpus: wc -w, report, freq, sentiment
#   bench/run.sh --scale         # also a corpus 4 times larger, to show flat memory
#   bench/run.sh --reference     # also vaderSentiment and tidytext on the 12.5 MB
#                                # bundled corpus, if they are installed
#   SIZE_MB=50 bench/run.sh      # another corpus size
#
# The corpus is data/corpus/news_articles.csv repeated (header once) up to
# SIZE_MB; it is built under bench/out/ (git-ignored). Each command runs
# RUNS times (default 3); the table shows the fastest and the median wall
# time (the ratio and throughput use the fastest) and the largest peak memory.
# Processor time (user plus system, from GNU time) is the median over the
# runs: every command here keeps both cores busy, so it moves less than wall
# time on a shared machine and shows what work was saved.
# Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB=${SIZE_MB:-100}
RUNS=${RUNS:-3}
SCALE=0
REFERENCE=0
for arg in "$@"; do
  case "$arg" in
    --scale) SCALE=1 ;;
    --reference) REFERENCE=1 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "bench/run.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

OUT=bench/out
mkdir -p "$OUT"
cargo build --release --quiet
cargo build --release --quiet -p lexiscope-ingest --example read_corpus
BIN=target/release/lexiscope
INGEST=target/release/examples/read_corpus
SRC=data/corpus/news_articles.csv

build_corpus() { # size_mb path
  local bytes=$(( $1 * 1000 * 1000 ))
  if [ ! -f "$2" ] || [ "$(stat -c %s "$2")" -lt "$bytes" ]; then
    head -n 1 "$SRC" > "$2"
    while [ "$(stat -c %s "$2")" -lt "$bytes" ]; do tail -n +2 "$SRC" >> "$2"; done
  fi
}

# measure NAME CMD...: prints
# "NAME|fastest_seconds|peak_kb|median_seconds|median_processor_seconds"
measure() {
  local name=$1 times="" cpus="" peak=0; shift
  for _ in $(seq "$RUNS"); do
    # Wall time from bash's microsecond clock (GNU time rounds to 10 ms,
    # which is 10% of a run on the bundled corpus); peak memory and
    # processor time from GNU time.
    local t_start=$EPOCHREALTIME
    /usr/bin/time -f "%M %U %S" -o "$OUT/time.txt" "$@" > /dev/null 2> "$OUT/stderr.txt" || {
      echo "failed: $*" >&2; cat "$OUT/stderr.txt" >&2; exit 1; }
    local t_end=$EPOCHREALTIME
    local secs; secs=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN{printf "%.4f", b-a}')
    local kb user sys
    read -r kb user sys < "$OUT/time.txt"
    times="$times $secs"
    cpus="$cpus $(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')"
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  local sorted; sorted=$(echo $times | tr ' ' '\n' | sort -g)
  local best; best=$(echo "$sorted" | head -n 1)
  median_of() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
  local median; median=$(echo "$times" | median_of)
  local cpu; cpu=$(echo "$cpus" | median_of)
  echo "$name|$best|$peak|$median|$cpu"
}

table() { # corpus rows...
  local corpus=$1; shift
  local mb; mb=$(awk "BEGIN{printf \"%.1f\", $(stat -c %s "$corpus")/1e6}")
  local wc_secs; wc_secs=$(echo "$1" | cut -d'|' -f2)
  echo
  echo "Corpus: $corpus ($mb MB), $(nproc) cores, fastest and median of $RUNS runs"
  echo
  echo "| command | wall time | median | processor time (median) | throughput | vs wc -w | peak memory |"
  echo "|---|---|---|---|---|---|---|"
  for row in "$@"; do
    IFS='|' read -r name secs kb median cpu <<< "$row"
    awk -v n="$name" -v s="$secs" -v k="$kb" -v mb="$mb" -v w="$wc_secs" -v m="$median" -v c="$cpu" \
      'BEGIN{ printf "| %s | %.2f s | %.2f s | %.2f s | %.0f MB/s | %.2fx | %.0f MB |\n", n, s, m, c, (s>0?mb/s:0), (w>0?s/w:0), k/1024 }'
  done
}

run_suite() { # corpus
  local c=$1
  local rows=()
  rows+=("$(measure "wc -w" wc -w "$c")")
  rows+=("$(measure "ingest only (read, decode, clean)" "$INGEST" "$c")")
  rows+=("$(measure "lexiscope report" "$BIN" report "$c" -o "$OUT/report" -q)")
  rows+=("$(measure "lexiscope freq" "$BIN" freq "$c" -q)")
  rows+=("$(measure "lexiscope sentiment --lexicon vader" "$BIN" sentiment "$c" --lexicon vader -q)")
  table "$c" "${rows[@]}"
}

CORPUS=$OUT/news_${SIZE_MB}mb.csv
build_corpus "$SIZE_MB" "$CORPUS"
run_suite "$CORPUS"

if [ "$SCALE" = 1 ]; then
  BIG=$OUT/news_$(( SIZE_MB * 4 ))mb.csv
  build_corpus $(( SIZE_MB * 4 )) "$BIG"
  RUNS=1 run_suite "$BIG"
fi

if [ "$REFERENCE" = 1 ]; then
  # The reference tools run once each (they take seconds); ours run
  # REF_RUNS times and the median counts, on one core (as the reference
  # tools use) and on all cores (as lexiscope runs by default).
  REF_RUNS=${REF_RUNS:-11}
  ours() { RUNS=$REF_RUNS measure "lexiscope" "$BIN" "$@" | cut -d'|' -f4; }
  echo
  echo "Reference tools on the bundled corpus ($SRC): one run of the"
  echo "reference, the median of $REF_RUNS runs of lexiscope:"
  echo
  echo "| task | reference | lexiscope, 1 core | speed-up | lexiscope, $(nproc) cores | speed-up |"
  echo "|---|---|---|---|---|---|"
  if python3 -c "import vaderSentiment" 2>/dev/null; then
    ref=$(RUNS=1 measure "vaderSentiment" python3 bench/vader_docs.py "$SRC" | cut -d'|' -f2)
    one=$(ours sentiment "$SRC" --lexicon vader -j 1 -q)
    all=$(ours sentiment "$SRC" --lexicon vader -q)
    awk -v r="$ref" -v o="$one" -v a="$all" 'BEGIN{ printf "| VADER, one score per document | %.2f s | %.4f s | %.0fx | %.4f s | %.0fx |\n", r, o, r/o, a, r/a }'
  else
    echo "| VADER | vaderSentiment not installed (pip install vaderSentiment==3.3.2) | | | | |"
  fi
  if command -v Rscript > /dev/null && Rscript -e 'library(tidytext)' > /dev/null 2>&1; then
    ref=$(RUNS=1 measure "tidytext" Rscript bench/tidytext_counts.R "$SRC" | cut -d'|' -f2)
    one=$(awk -v a="$(ours freq "$SRC" -j 1 -q)" -v b="$(ours sentiment "$SRC" --lexicon bing -j 1 -q)" 'BEGIN{print a+b}')
    all=$(awk -v a="$(ours freq "$SRC" -q)" -v b="$(ours sentiment "$SRC" --lexicon bing -q)" 'BEGIN{print a+b}')
    awk -v r="$ref" -v o="$one" -v a="$all" 'BEGIN{ printf "| word counts + Bing (`freq` + `sentiment --lexicon bing`) | %.2f s | %.4f s | %.0fx | %.4f s | %.0fx |\n", r, o, r/o, a, r/a }'
    # The same answers from one pass, as the R script gets them: every
    # word counted (no stop words dropped) with its Bing columns.
    one=$(ours freq "$SRC" --stopwords none --lexicon bing -j 1 -q)
    all=$(ours freq "$SRC" --stopwords none --lexicon bing -q)
    awk -v r="$ref" -v o="$one" -v a="$all" 'BEGIN{ printf "| word counts with Bing columns, one pass (`freq --stopwords none --lexicon bing`) | %.2f s | %.4f s | %.0fx | %.4f s | %.0fx |\n", r, o, r/o, a, r/a }'
  else
    echo "| word counts + Bing | R with tidytext not installed | | | | |"
  fi
fi
