#!/usr/bin/env Rscript
# tidytext word counts and Bing matches on the `text` column of a CSV file:
# the reference side of bench/run.sh --reference.
suppressMessages({library(tidytext); library(dplyr); library(readr)})
docs <- read_csv(commandArgs(TRUE)[1], show_col_types = FALSE)
words <- docs %>% select(text) %>% unnest_tokens(word, text)
counts <- words %>% count(word, sort = TRUE)
bing <- words %>% inner_join(get_sentiments("bing"), by = "word", relationship = "many-to-many") %>% count(word, sentiment)
cat(nrow(counts), nrow(bing), "\n")
