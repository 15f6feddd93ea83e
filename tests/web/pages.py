"""Reading dashboard pages in tests."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from django.test import Client


def get_ok(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def text_of(html: str) -> str:
    """The visible text, whitespace collapsed (scripts and styles dropped)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def section(html: str, start: str, end: str) -> str:
    """The part of ``html`` from ``start`` up to the next ``end``."""
    begin = html.index(start)
    return html[begin : html.index(end, begin + len(start))]


class Outline(HTMLParser):
    """Headings, tables and landmarks of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tables = 0
        self.captions = 0
        self.th_without_scope = 0
        self.in_thead_or_body = False
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th" and "scope" not in attributes:
            self.th_without_scope += 1


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser
