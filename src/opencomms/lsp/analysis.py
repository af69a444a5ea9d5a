"""Incremental analysis for the editor: an edit re-analyses only the blocks it touched.

Sentences never cross blocks (paragraphs, headings, list items), so the document is cut at every block
start and end into segments (blocks and the space between them) that together are exactly the checked
text. Each segment goes through the pipeline
on its own and is cached by its text (and its blocks); the document's Doc is put together from the
segments with ``Doc.from_docs``, after which only the document-level components (readability) run on
the whole. Typing in one paragraph of a 600-word text re-analyses that paragraph, not the text.

The only difference from analysing the whole text at once: token vectors near a block edge do not see
the neighbouring block (the CNN's window is a few tokens). The tests compare both on the examples.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict

from spacy.language import Language
from spacy.tokens import Doc

DOC_LEVEL = {"opencomms_readability"}  # components that need the whole document


class IncrementalAnalyser:
    def __init__(self, nlp: Language, max_segments: int = 4096):
        self.nlp = nlp
        self.max_segments = max_segments
        self.cache: OrderedDict[tuple, Doc] = OrderedDict()
        self.analysed = 0  # segments analysed so far (the rest came from the cache)

    def segments(self, source) -> list[tuple[str, tuple]]:
        """(checked text, blocks relative to the segment) for each segment, in order."""
        text = source.checked
        cuts = {b.start for b in source.blocks} | {b.end for b in source.blocks}
        bounds = [0, *sorted(c for c in cuts if 0 < c < len(text)), len(text)]
        out = []
        for a, z in zip(bounds, bounds[1:]):
            blocks = tuple((b.start - a, b.end - a, b.kind) for b in source.blocks if a <= b.start < z)
            out.append((text[a:z], blocks))
        return out

    def doc(self, source) -> Doc:
        """The analysed Doc of ``source.checked``, as the full pipeline would give it."""
        from opencomms.nlp.pipeline import make_doc

        keys = self.segments(source)
        if not keys or not source.checked:
            return self.nlp(make_doc(self.nlp, source))
        missing = [key for key in dict.fromkeys(keys) if key not in self.cache]
        if missing:
            self._analyse(missing)
        for key in keys:
            self.cache.move_to_end(key)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # W101/W102: nothing of ours is kept on the segments
            doc = Doc.from_docs([self.cache[key] for key in keys], ensure_whitespace=False)
        while len(self.cache) > self.max_segments:
            self.cache.popitem(last=False)
        if doc is None or doc.text != source.checked:  # never check something else than the text
            return self.nlp(make_doc(self.nlp, source))
        blocks = [(b.start, b.end, b.kind) for b in source.blocks]
        doc.user_data["oc_blocks"] = blocks
        doc._.oc_blocks = blocks
        for name, component in self.nlp.pipeline:
            if name in DOC_LEVEL:
                doc = component(doc)
        return doc

    def _analyse(self, keys: list[tuple]) -> None:
        docs = []
        for text, blocks in keys:
            doc = self.nlp.make_doc(text)
            doc.user_data["oc_blocks"] = list(blocks)
            docs.append(doc)
        for name, component in self.nlp.pipeline:
            if name in DOC_LEVEL:
                continue
            if hasattr(component, "pipe"):
                docs = list(component.pipe(docs))
            else:
                docs = [component(doc) for doc in docs]
        for key, doc in zip(keys, docs):
            doc.user_data.clear()  # extension values and our data: set again on the whole document
            self.cache[key] = doc
        self.analysed += len(keys)
