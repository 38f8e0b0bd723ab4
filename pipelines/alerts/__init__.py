"""Email alerts about talk rounds: rules -> create-only alert documents -> outbox -> mailer.

    rules.py      which events deserve an alert (data in the config, small classes)
    documents.py  alert documents with deterministic ids, written by the Elasticsearch sink
    settings.py   the [alerts] and [smtp] config, validated at start
    render.py     subject and the text + HTML message (Jinja2 templates in templates/)
    transport.py  SMTP (smtplib) or, with no SMTP host, a local mail directory of .eml files
    mailer.py     the outbox: claim, send, mark sent or retry with backoff
"""
