#!/usr/bin/env Rscript
# Dumps the Unicode properties that ICU's word-break rules use, as ICU itself
# (through stringi) reports them, to a tab-separated list of code point ranges:
#   first<TAB>last<TAB>class
# The text crate reads that list (data/word_break_ranges.tsv) at start-up.
# Run: Rscript gen_word_break.R > ../data/word_break_ranges.tsv  (ICU 72.1 made the committed copy)
suppressMessages(library(stringi))
cps <- c(0:0xD7FF, 0xE000:0x10FFFF)
ch <- intToUtf8(cps, multiple = TRUE)
has <- function(re) stri_detect_regex(ch, re)
# Order matters: the first class that claims a code point wins.  The order
# follows ICU's rule set: the Extend/Format set excludes Han, the dictionary
# scripts are split off before ALetter, and so on.
cls <- rep("Other", length(cps))
set <- function(mask, name) { m <- mask & cls == "Other"; cls[m] <<- name }
han <- has("\\p{Script=Han}")
set(has("\\p{Word_Break=CR}"), "CR")
set(has("\\p{Word_Break=LF}"), "LF")
set(has("\\p{Word_Break=Newline}"), "Newline")
set(has("\\p{Word_Break=ZWJ}"), "ZWJ")
set(has("\\p{Word_Break=Extend}") & !han, "Extend")
set(has("\\p{Word_Break=Format}"), "Format")
set(has("\\p{Word_Break=Regional_Indicator}"), "RegionalIndicator")
set(has("\\p{Word_Break=WSegSpace}"), "WSegSpace")
hira <- has("\\p{Script=Hiragana}")
kata <- has("\\p{Word_Break=Katakana}")
hangul <- cps >= 0xAC00 & cps <= 0xD7A3
set(han | hira | kata | hangul, "Dictionary")
complex <- has("\\p{Line_Break=Complex_Context}") & !has("\\p{Grapheme_Cluster_Break=Control}")
set(complex, "Complex")
set(has("\\p{Word_Break=Hebrew_Letter}"), "HebrewLetter")
set(has("\\p{Word_Break=ALetter}") | cps == 0x40, "ALetter")
set(has("\\p{Word_Break=Single_Quote}"), "SingleQuote")
set(has("\\p{Word_Break=Double_Quote}"), "DoubleQuote")
set(has("\\p{Word_Break=MidNumLet}"), "MidNumLet")
set(has("\\p{Word_Break=MidLetter}") & !(cps %in% c(0x3A, 0xFE55, 0xFF1A)), "MidLetter")
set(has("\\p{Word_Break=MidNum}"), "MidNum")
set(has("\\p{Word_Break=Numeric}"), "Numeric")
set(has("\\p{Word_Break=ExtendNumLet}"), "ExtendNumLet")
set(has("\\p{Ideographic}"), "Ideographic")
set(has("\\p{Extended_Pictographic}"), "ExtPict")
# Run-length encode.
r <- rle(cls)
ends <- cumsum(r$lengths)
starts <- c(1, head(ends, -1) + 1)
out <- data.frame(first = sprintf("%X", cps[starts]), last = sprintf("%X", cps[ends]), class = r$values)
out <- out[out$class != "Other", ]
write.table(out, stdout(), sep = "\t", quote = FALSE, row.names = FALSE, col.names = FALSE)
