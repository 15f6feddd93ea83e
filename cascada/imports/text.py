"""Cell text cleaning shared by every import (DESIGN §4).

Source systems (SEGPLAN exports, rich-text editors) leave HTML inside cells: the seed's
Objetivo 7 row arrives as ``<p>0,27</p>``. Every cell's text goes through ``clean_text`` before
anything else reads it, so the number, date and code rules never see markup.
"""

from __future__ import annotations

import html
import re

# A tag starts with ``<`` followed by a letter, ``/``, ``!`` or ``?``: that keeps comparisons in
# plain text ("a < b y c > d") intact while removing ``<p>``, ``</p>``, ``<br/>``, ``<!-- -->``.
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
# Tags that end a line or a block become a line break, so "<p>uno</p><p>dos</p>" keeps its two
# paragraphs apart instead of gluing them into "unodos".
_BREAK = re.compile(r"<(?:br\s*/?|/(?:p|div|li|tr|h[1-6]))\s*>", re.IGNORECASE)


def strip_html(text: str) -> str:
    """Remove HTML tags, then decode entities (``&amp;`` -> ``&``, ``&nbsp;`` -> no-break space).

    Entities are decoded *after* the tags are gone, so an escaped ``&lt;p&gt;`` written on
    purpose survives as the literal text ``<p>``.
    """
    if "<" in text:
        text = _TAG.sub("", _BREAK.sub("\n", text))
    if "&" in text:
        text = html.unescape(text)
    return text


def clean_text(text: str) -> str:
    """The one cleaning every cell gets: HTML removed, surrounding whitespace stripped."""
    return strip_html(text).strip()
