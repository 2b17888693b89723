"""The declaration as a printable PDF: an HTML template rendered by WeasyPrint, in English
(the UPU forms' working language alongside French), whatever the seller's language."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from .declarations import Declaration


def declaration_pdf(declaration: Declaration) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only this page needs.
    from weasyprint import HTML

    with translation.override("en"):
        html = render_to_string("parcels/declaration.html", {"declaration": declaration})
    document: bytes = HTML(string=html).write_pdf()
    return document
