"""The article as the extractor sees it: id, url, title, publication date, text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

TITLE_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class ArticleText:
    id: str
    url: str
    title: str | None
    published: date | None
    text: str

    @property
    def title_in_document(self) -> bool:
        """The title is analysed with the text unless the text already opens with it."""
        if not self.title:
            return False
        head = self.text.lstrip()[: len(self.title) + 5]
        return self.title.strip()[:60].lower() not in head.lower()

    @property
    def document(self) -> str:
        """The string `nlp.annotate` must be given for this article: title, blank line, text.

        Evidence offsets refer to this string."""
        if self.title_in_document:
            return f"{self.title.strip()}{TITLE_SEPARATOR}{self.text}"  # type: ignore[union-attr]
        return self.text

    @property
    def title_end(self) -> int:
        """Offset where the title ends in `document` (0 when there is no separate title)."""
        if self.title_in_document:
            return len(self.title.strip())  # type: ignore[union-attr]
        if self.title:
            start = self.text.find(self.title.strip()[:60])
            if 0 <= start < 10:
                return start + len(self.title.strip())
        return 0
