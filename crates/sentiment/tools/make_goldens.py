#!/usr/bin/env python3
"""Build the golden input units for the VADER and AFINN agreement tests.

Writes tests/data/units.txt, one text unit per line (no CR or LF inside a
unit). The expected scores come from the reference tools:

    python3 tools/make_goldens.py ../../../shared/corpora
    python3 ../../../shared/tools/vader_reference.py tests/data/units.txt > tests/data/vader_expected.csv
    python3 ../../../shared/tools/afinn_reference.py tests/data/units.txt > tests/data/afinn_expected.csv

Sources: synthetic tweet-like text exercising every VADER rule, sentences,
titles and whole paragraphs of news_articles.csv (some with their straight
quotes and dashes turned typographic), lines of Jane Austen, hand-written edge
cases and non-English text. Fixed seed: the output is reproducible.
"""
import csv
import os
import random
import re
import sys

rng = random.Random(20240505)

POS = ["good", "great", "love", "happy", "excellent", "nice", "awesome", "fun", "brilliant",
       "kind", "wonderful", "glad", "best", "cool", "sweet", "fine", "ok", "okay", "lol",
       "haha", "win", "yay", "thanks", "affection", "avid", "hope", "smart", "funny", "handsome"]
NEG = ["bad", "sad", "hate", "terrible", "awful", "horrible", "worst", "angry", "ugly", "sucks",
       "sux", "fail", "boring", "stupid", "poor", "broken", "wtf", "ugh", "cry", "death", "die",
       "shit", "bomb", "ass", "doubt", "stop", "no", "kill", "war", "crisis"]
NEUTRAL = ["the", "movie", "food", "day", "service", "team", "game", "phone", "weather", "it",
           "this", "that", "my", "your", "is", "was", "were", "a", "an", "of", "to", "for", "at",
           "and", "or", "nor", "with", "right", "heart", "beating", "bus", "yeah", "kiss", "just",
           "enough", "sort", "kind", "real", "reader"]
BOOST = ["very", "really", "so", "extremely", "totally", "absolutely", "incredibly", "fucking",
         "quite", "most", "more", "hella", "uber", "kinda", "sorta", "barely", "hardly",
         "slightly", "somewhat", "little", "less", "almost", "occasionally", "kind-of"]
NEGATE = ["not", "isn't", "never", "don't", "didn't", "can't", "cannot", "ain't", "without",
          "nothing", "none", "nope", "rarely", "seldom", "despite", "wasn't", "wont", "dont",
          "isnt", "aint", "neither", "nor", "uh-uh", "shouldn't", "wouldnt"]
PHRASES = ["kind of", "sort of", "just enough", "at least", "the least", "very least",
           "never so", "never this", "without a doubt", "without doubt", "the shit", "the bomb",
           "bad ass", "badass", "yeah right", "kiss of death", "to die for", "beating heart",
           "bus stop", "cut the mustard", "no or", "no nor", "not only", "can't stand",
           "some kind", "cashing in", "dont like", "not good", "no fun", "green wash",
           "son-of-a-bitch", "self-confident", "well-being", "short-sighted", "once-in-a-lifetime"]
EMOTICONS = [":)", ":(", ":D", ":-P", "<3", "xD", ":/", ";)", ":-(", "(:", "D:", "=)", ":'(",
             "</3", ":P", "XD", "O.o", ":-))"]
EMOJI = ["😀", "😂", "😭", "❤️", "❤", "👍", "👍🏽", "🔥", "💔", "😡", "🙏", "🎉", "😍", "🤬", "👨‍👩‍👧",
         "🇺🇸", "✨", "💯", "🙄", "😱", "‼", "⁉", "™", "©", "☺", "☹", "🤔", "💩", "😊"]
PUNCT_END = ["", ".", "!", "!!", "!!!", "!!!!!", "?", "??", "???", "????", "?!", "?!?!", "...",
             ",", " !", " ??", "!?"]


def cap(word):
    r = rng.random()
    if r < 0.12:
        return word.upper()
    if r < 0.2:
        return word.capitalize()
    return word


def glue(word):
    """Sometimes attach punctuation to a word, as people type it."""
    r = rng.random()
    if r < 0.08:
        return word + rng.choice([",", ".", "!", "?", "!!", ";", ":"])
    if r < 0.11:
        return rng.choice(['"', "(", "'", "*", "#", "@"]) + word + rng.choice(['"', ")", "'", "*", ""])
    return word


def tweet():
    parts = []
    for _ in range(rng.randint(2, 14)):
        r = rng.random()
        if r < 0.22:
            parts.append(rng.choice(POS))
        elif r < 0.42:
            parts.append(rng.choice(NEG))
        elif r < 0.55:
            parts.append(rng.choice(BOOST))
        elif r < 0.65:
            parts.append(rng.choice(NEGATE))
        elif r < 0.72:
            parts.append(rng.choice(PHRASES))
        elif r < 0.77:
            parts.append(rng.choice(["but", "But", "BUT", "but,", "least", "no", "No", "NO"]))
        elif r < 0.83:
            parts.append(rng.choice(EMOTICONS))
        elif r < 0.90:
            e = rng.choice(EMOJI)
            if rng.random() < 0.3 and parts:
                parts[-1] = parts[-1] + e  # glued to the previous word
            else:
                parts.append(e)
        else:
            parts.append(rng.choice(NEUTRAL))
    words = [glue(cap(w)) for w in " ".join(parts).split(" ")]
    if rng.random() < 0.07:
        words = [w.upper() for w in words]
    text = " ".join(words) + rng.choice(PUNCT_END)
    if rng.random() < 0.1:
        text = text.replace(" ", rng.choice(["  ", "\t", " \u00a0", "\u00a0"]), 1)
    return text


def sentences(text):
    return [s.strip() for s in re.split(r'(?<=[.!?])\s+(?=["A-Z])', text) if s.strip()]


def typographic(s):
    """Straight quotes to curly ones, spaced hyphens to dashes."""
    out = []
    open_q = True
    for i, c in enumerate(s):
        if c == '"':
            out.append("\u201c" if open_q else "\u201d")
            open_q = not open_q
        elif c == "'":
            prev = s[i - 1] if i else " "
            out.append("\u2019" if prev.isalnum() else "\u2018")
        else:
            out.append(c)
    s = "".join(out)
    s = s.replace(" - ", rng.choice([" \u2014 ", "\u2014", " \u2013 "])).replace("--", "\u2014")
    if rng.random() < 0.2:
        s = s.replace("...", "\u2026")
    return s


def one_line(s):
    return re.sub(r"[\r\n]+", " ", s)


EDGE = [
    "", " ", "\t", "   \t  ", "\u00a0", "\u3000", "\x0c", "\x1c\x1d", "\u2028", "\u200b",
    "!!!", "???", "?!", "!", "?", "...", ":)", ":(", ":D", "<3", "😀", "😀😀😀", "❤️", "👍🏽",
    "no", "NO", "No!", "not", "but", "BUT", "kind of", "kind", "least", "at least", "the least good",
    "good", "GOOD", "Good", "good!", "bad.", "no,", "ok", "ok!", "OK", "\u212a\u212a good",
    "The food is GREAT but the service is BAD", "GOOD GOOD GOOD bad",
    "no good", "no no good", "NO GOOD at all here", "no, good", "no or bad", "no nor good",
    "not bad at all", "never so good", "never this bad", "never very good", "never so very good",
    "not really so good", "without a doubt great", "without doubt, excellent",
    "this is the shit", "the bomb dot com", "what a bad ass movie", "yeah right, great",
    "the kiss of death for love", "food to die for", "my beating heart", "at the bus stop",
    "kind of good", "kind of GOOD", "sort of bad", "just enough good", "kinda good but not great",
    "Real affection but an avid reader", "good food but good service and good wine",
    "great but great but great", "love love love but hate", "affection, affection but avid avid",
    "It isn’t good", "It isn't good", "“Great” results.", "late—terrible", "good–bad",
    "Ça va très bien, merci", "¡Qué día tan bueno! Me encanta", "Das ist nicht gut, aber okay",
    "Это очень хорошо", "ΚΑΛΗΜΕΡΑ ΣΑΣ good", "Καλημέρα σας ΟΔΟΣ", "İSTANBUL is GREAT", "istanbul is great",
    "这是一个很好的例子", "日本語のテキスト good", "مرحبا بالعالم سعيد", "यह बहुत अच्छा है good",
    "안녕하세요 좋아요", "café naïve naïve", "cafe\u0301 good", "good\u093e day", "good\u0301 bad\u0308", "\u0915\u093egood", "na\u0308ive plan", "ǅemal is GOOD",
    "straße STRASSE good", "ﬁne ﬁne", "Ⓐ GOOD", "\ufeffgood", "good\u200bbad", "good_bad",
    "good-bad", "good/bad", "good,bad", "good.bad", "#good @bad", "http://good.com/bad",
    "Good2 2good g00d", "a a a a a a a good", "the the the", "x" * 300, "good " * 200,
    "! ! ! ! ! good", "good ?? ?? bad", "¿good?", "GOOD!!!! BAD????", "good\x1cbad", "good\x85bad",
    "good\u2028bad", "good\u00a0bad", "good\u3000bad", "good\u2009bad", "good\u200abad",
    "😀good", "good😀", "good😀bad", "😀 😂 😭", "love❤️you", "💔💔 but 😍", "™ © ®",
    "I can't stand it", "I cant stand it", "i can't   stand it", "cashing in", "green  wash",
    "some kind of idiot", "kind of idiot", "not good", "no fun", "dont like", "son-of-a-bitch",
    "self-confident and well-being", "short-sightedness", "once-in-a-lifetime chance",
    "Not bad at all", "At least it isn't a horrible book.", "The book was only kind of good.",
    "Today only kinda sux! But I'll get by, lol", "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁", "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "Sentiment analysis has never been good.", "Sentiment analysis has never been this good!",
    "Most automated sentiment analysis tools are shit.", "With VADER, sentiment analysis is the shit!",
    "Other sentiment analysis tools can be quite bad.", "On the other hand, VADER is quite bad ass",
    "VADER is such a badass!", "Without a doubt, excellent idea.",
    "Roger Dodger is one of the most compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "Not such a badass after all.", "Without a doubt, an excellent idea.",
    "He is a very least likely winner", "at least good", "the very least good", "least good",
    "She said \"?great\"? and left", "\"?It was a disaster,\"? he said.", "\ufffd good \ufffd",
    "Isn't it lovely? Isn't it?", "I wouldn't've liked it", "You couldn't've been happier",
    "It mayn't be good", "they needn't've worried, great", "it's wasn't-ish good", "DIDN'T like it", "HAPPY", "HAPPY sad", "happy SAD", "1 2 3", "1st place win",
]


def main():
    corpora = sys.argv[1] if len(sys.argv) > 1 else "../../../shared/corpora"
    here = os.path.dirname(os.path.abspath(__file__))
    out_path = os.path.join(here, "..", "tests", "data", "units.txt")
    units = []

    units += EDGE

    units += [tweet() for _ in range(1000)]

    with open(os.path.join(corpora, "news_articles.csv"), encoding="utf-8", newline="") as f:
        articles = [r for r in csv.DictReader(f)]
    all_sentences = []
    for a in articles:
        all_sentences += sentences(one_line(a["text"]))
    rng.shuffle(all_sentences)
    odd = [s for s in all_sentences if re.search(r'[^\x00-\x7f]|"\?', s)]
    units += odd[:150]
    units += all_sentences[:550]
    units += [typographic(s) for s in all_sentences[550:750]]
    titles = [one_line(a["title"]) for a in articles if a["title"].strip()]
    units += rng.sample(titles, 80)
    # Long paragraphs: whole articles (some typographic), from 300 chars to 8 kB.
    long_texts = [one_line(a["text"]) for a in articles if 300 < len(a["text"]) < 8000]
    picks = rng.sample(long_texts, 60)
    units += picks[:40] + [typographic(t) for t in picks[40:]]

    with open(os.path.join(corpora, "seed", "isis_weakness.txt"), encoding="utf-8") as f:
        seed = f.read()
    units += [one_line(p) for p in seed.split("\n") if p.strip()]
    units += sentences(one_line(seed))

    with open(os.path.join(corpora, "austen.csv"), encoding="utf-8", newline="") as f:
        lines = [r["text"] for r in csv.DictReader(f)]
    start = rng.randrange(0, len(lines) - 400)
    units += [one_line(l) for l in lines[start:start + 150]]
    units += [one_line(l) for l in rng.sample(lines, 100)]

    for u in units:
        assert "\n" not in u and "\r" not in u, repr(u)
    with open(out_path, "w", encoding="utf-8", newline="") as f:
        for u in units:
            f.write(u + "\n")
    print(f"{len(units)} units, {sum(len(u.encode()) for u in units)} bytes -> {out_path}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
