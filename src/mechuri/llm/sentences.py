"""Korean sentences out of a stream of model text, as soon as each one is complete.

The LLM writer checks a reply sentence by sentence (``writer.LLMWriter.stream``): a sentence is shown
once it is whole and true, so it must know where a sentence ends while the model is still writing. A
sentence ends at a line break, or at a sentence ending followed by white space: 「…요.」, 「…다!」, 「…까?」,
a bare 「…요 」, 「…」, 「…!」 — but not the point of a list marker or a decimal (「1. 김밥」, 「20.5g」), which
a digit precedes. The white space is what makes an ending final: 「요」 may still become 「요.」, and 「20.」
may still become 「20.5g」, so a sentence is released only when the next character shows it is over.

The same rule splits the grounded reply into the sentences the writer may switch to (``switch``), so both
sides of a switch are cut the same way.
"""

from __future__ import annotations

import re

_END = re.compile(r"\n+|(?:(?<!\d)[.!?…]+|(?<=[가-힣])[요다죠까네][.!?~]*)[\"'」』)\]]*[ \t]+")
"""Where a sentence ends: line breaks, or an ending and the spaces after it (kept with the sentence)."""


class SentenceBuffer:
    """Collects streamed pieces and hands back each sentence once it is complete.

    ``feed`` returns the sentences the new piece completed, each with the white space that ended it (so
    the pieces joined are the text as written); ``flush`` returns what is left at the end of the stream,
    a last sentence that no white space followed (it may be whole, or cut off by the token limit).
    """

    def __init__(self) -> None:
        self._text = ""

    def feed(self, piece: str) -> list[str]:
        self._text += piece
        sentences: list[str] = []
        start = 0
        for match in _END.finditer(self._text):
            if self._text[start:match.end()].strip():
                sentences.append(self._text[start:match.end()])
                start = match.end()
        self._text = self._text[start:]
        return sentences

    def flush(self) -> str:
        rest, self._text = self._text, ""
        return rest

    @property
    def pending(self) -> str:
        """The text of the sentence being written (not complete yet)."""
        return self._text


def split_sentences(text: str) -> list[str]:
    """``text`` cut into sentences by the same rule as a stream (white space kept with each)."""
    buffer = SentenceBuffer()
    sentences = buffer.feed(text)
    rest = buffer.flush()
    return [*sentences, rest] if rest.strip() else sentences
