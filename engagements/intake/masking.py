"""A sentence with some of its mentions written as placeholders, and the way back.

Rules match patterns over the masked text ("⟨country:0⟩ Defence Minister Kim Yong Hyun")
and read the raw words they cover through ``raw``.
"""

from __future__ import annotations

from .mentions import PLACEHOLDER, Marks, Mention


class Masked:
    def __init__(self, marks: Marks, kinds=None, *, spans: bool = False):
        self.marks = marks
        chosen = [m for m in marks.mentions if kinds is None or m.kind in kinds]
        if spans:  # a span stands for the mentions it covers
            for span in marks.spans:
                chosen = [m for m in chosen if not (span.begin <= m.begin and m.end <= span.end)]
                chosen.append(span)
            chosen.sort(key=lambda m: m.begin)
        self.chosen: list[Mention] = chosen
        raw = marks.text
        out: list[str] = []
        offsets: list[int] = []  # raw offset of each masked character
        at = 0
        for index, mention in enumerate(self.chosen):
            for i in range(at, mention.begin):
                out.append(raw[i])
                offsets.append(i)
            token = f"⟨{mention.kind}:{index}⟩"
            out.append(token)
            offsets.extend([mention.begin] * len(token))
            at = mention.end
        for i in range(at, len(raw)):
            out.append(raw[i])
            offsets.append(i)
        self.text = "".join(out)
        self._offsets = offsets
        self._raw_len = len(raw)
        self._token_end = {}
        pos = 0
        for index, mention in enumerate(self.chosen):
            token = f"⟨{mention.kind}:{index}⟩"
            pos = self.text.index(token, pos)
            self._token_end[pos + len(token)] = mention.end
            pos += len(token)

    def raw(self, begin: int, end: int) -> tuple[int, int]:
        """The raw offsets of the masked span ``begin``–``end``."""
        raw_begin = self._offsets[begin] if begin < len(self._offsets) else self._raw_len
        if end in self._token_end:
            raw_end = self._token_end[end]
        elif end == 0:
            raw_end = 0
        elif end - 1 < len(self._offsets):
            raw_end = self._offsets[end - 1] + 1
        else:
            raw_end = self._raw_len
        return raw_begin, raw_end

    def raw_text(self, begin: int, end: int) -> str:
        a, b = self.raw(begin, end)
        return self.marks.text[a:b]

    def mention(self, placeholder: str) -> Mention | None:
        m = PLACEHOLDER.fullmatch(placeholder.strip())
        return self.chosen[int(m.group("key"))] if m else None

    def mentions_in(self, text: str, kind: str | None = None) -> list[Mention]:
        found = [self.chosen[int(m.group("key"))] for m in PLACEHOLDER.finditer(text or "")]
        return [m for m in found if kind is None or m.kind == kind]
