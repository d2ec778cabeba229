"""Report files of every format → Document, behind one `read_document`.

`document` picks the reader (`sniff`): `text` (text and Markdown, with the layouts of exported
tables), `html`, `pdf`, `docx`; the last three render paragraphs and tables through
`ingest.blocks`. Every reader raises `ReadError` (in `errors`, which imports nothing, so no
reader imports another's entry point).
"""

from __future__ import annotations

from .document import read_document
from .errors import ReadError

__all__ = ["ReadError", "read_document"]
