"""The extractor on one text, as the extraction tests call it (spaCy loaded once)."""

from datetime import date

from pipelines.extraction.article import ArticleText
from pipelines.extraction.nlp import annotate, load_nlp
from pipelines.extraction.rounds import RoundExtraction, extract_round


def extract(text: str, title: str | None = None, published: date | None = None) -> RoundExtraction:
    article = ArticleText("t", "https://example.org/t", title, published, text)
    annotation = annotate(load_nlp(), [article.document])[0]
    return extract_round(article, annotation)
