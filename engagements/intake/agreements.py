"""Agreements a report names, with the step each has reached and when.

Found by the names the database knows (titles, aliases, acronyms) and by the way reports
name them: a title ending in what the instrument is (… Agreement, … Arrangement, Memorandum
of Understanding …, … Roadmap, Exchange of Letters …), an acronym defined beside it, and
"signed/agreed upon/exchanged a plan (an agreement, a roadmap) to …".

The step comes from the words around the name: signed, exchanged, approved or agreed,
in force, under negotiation ("negotiations", "early finalisation"), under review (the review
under way; a "next review" is of an agreement in force), amended, proposed, expired. A year
before the name ("the 1993 MoU") is the year it was signed. Without a word for the step, a
roadmap or a plan that is worked under is agreed (inferred). The step's date is the date the
clause gives ("signed in February 2020"), else the date of the meeting the sentence reports.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..models import AgreementKind, AgreementStatus
from .mentions import Marks, Mention
from .phrases import WordIndex, normal
from .titles import clean_title, head_kind, title_pattern
from .vocabulary import HOME, Vocabulary
from .when import When

HEADS = {
    "mou": r"(?P<mou>Memorandum\s+of\s+Understanding|MoU|MOU)",
    "moa": r"(?P<moa>Memorandum\s+of\s+Agreement|MoA|MOA)",
    "implementing": r"(?P<implementing>Implementing\s+[Aa]rrangement)",
    "letters": r"(?P<letters>Exchange\s+of\s+Letters)",
    "roadmap": r"(?P<roadmap>Road\s*-?\s*[Mm]ap|Roadmap|roadmap)",
    "plan": r"(?P<plan>Action\s+Plan|Plan)",
    "trade": (
        r"(?P<trade>Free\s+Trade\s+Agreement|Trade\s+(?:in|and)\s+Goods\s+Agreement|"
        r"Comprehensive\s+Economic\s+(?:Cooperation|Partnership)\s+Agreement|"
        r"Economic\s+Partnership\s+Agreement|CECA|CEPA|FTA)"
    ),
    "arrangement": r"(?P<arrangement>Arrangement)",
    "agreement": r"(?P<agreement>Agreement|Pact|Treaty|Accord|Protocol|Convention)",
}
KINDS = {
    "mou": AgreementKind.MOU,
    "moa": AgreementKind.MEMORANDUM_OF_AGREEMENT,
    "implementing": AgreementKind.IMPLEMENTING_ARRANGEMENT,
    "letters": AgreementKind.EXCHANGE_OF_LETTERS,
    "roadmap": AgreementKind.ROADMAP,
    "plan": AgreementKind.PLAN,
    "trade": AgreementKind.TRADE,
    "arrangement": AgreementKind.ARRANGEMENT,
    "agreement": AgreementKind.AGREEMENT,
}
TITLE = title_pattern("|".join(HEADS.values()), tail=True)
#: An instrument named by what was done with it: "agreed upon a plan to improve …".
DESCRIBED = re.compile(
    r"\b(?P<verb>agreed\s+(?:up)?on|signed|concluded|inked|adopted|approved|exchanged|finali[sz]ed)"
    r"\s+(?:an?|the)\s+(?:new\s+)?(?P<head>plan|action\s+plan|roadmap|road\s*map|agreement|"
    r"arrangement|memorandum\s+of\s+understanding|MoU|pact|framework)\s+(?P<topic>(?:to|on|for)"
    r"\s+[^,.;]{5,90})"
)
DESCRIBED_KIND = {
    "plan": AgreementKind.PLAN,
    "action plan": AgreementKind.PLAN,
    "roadmap": AgreementKind.ROADMAP,
    "road map": AgreementKind.ROADMAP,
    "agreement": AgreementKind.AGREEMENT,
    "arrangement": AgreementKind.ARRANGEMENT,
    "memorandum of understanding": AgreementKind.MOU,
    "mou": AgreementKind.MOU,
    "pact": AgreementKind.AGREEMENT,
    "framework": AgreementKind.OTHER,
}
YEAR_BEFORE = re.compile(r"(?:^|\s)(?:the\s+)?(?P<year>(?:19|20)\d\d)\s*$")
#: Words of the step an agreement has reached, and whether the words name it (reported) or
#: let it be read (inferred).
STEPS = [
    (
        AgreementStatus.EXPIRED,
        r"\b(?:expired|terminated|lapsed|scrapped|withdr[ae]w\s+from)\b",
        "reported",
    ),
    (
        AgreementStatus.AMENDED,
        r"\b(?:was|were|has\s+been|have\s+been|had\s+been)\s+amended\b",
        "reported",
    ),
    (
        AgreementStatus.IN_FORCE,
        r"\b(?:(?:came|come|comes|entered|enter|enters)\s+into\s+force|in\s+force|ratified|operationali[sz]ed)\b",
        "reported",
    ),
    (AgreementStatus.IN_FORCE, r"\b(?:next|periodic|general|upcoming)\s+review\b", "inferred"),
    (
        AgreementStatus.UNDER_REVIEW,
        r"\b(?:review(?:ing|ed)?|re-?negotiat\w*|upgrad\w*|revis(?:e|ing|ion))\b",
        "reported",
    ),
    (
        AgreementStatus.UNDER_NEGOTIATION,
        r"\b(?:negotiat\w*|under\s+discussion|talks\s+on)\b",
        "reported",
    ),
    (
        AgreementStatus.UNDER_NEGOTIATION,
        r"\b(?:(?:early|speedy|expeditious)\s+(?:finali[sz]ation|conclusion)|finali[sz]e|conclude\s+(?:the|an?)|work(?:ing)?\s+towards)\b",
        "inferred",
    ),
    (AgreementStatus.EXCHANGED, r"\bexchanged\b", "reported"),
    (AgreementStatus.SIGNED, r"\b(?:signed|inked|signing|concluded|signature)\b", "reported"),
    (
        AgreementStatus.AGREED,
        r"\b(?:approved|agreed\s+(?:up)?on|adopted|endorsed|finali[sz]ed|agreed\s+to\s+an?)\b",
        "reported",
    ),
    (AgreementStatus.PROPOSED, r"\b(?:propos\w*|mooted|envisag\w*)\b", "reported"),
]
STEP_PATTERNS = [
    (status, re.compile(words, re.IGNORECASE), basis) for status, words, basis in STEPS
]
#: Words of a clause that put the step in a relative clause of an earlier event: "his visit
#: in August 2024, during which two agreements were signed".
#: "The agreement": an agreement named before.
ANAPHORA = re.compile(
    r"\b(?:the|this|that)\s+(?P<head>agreement|pact|treaty|accord|arrangement|MoU|memorandum|"
    r"roadmap|road\s+map|plan)\b(?!\s+(?:to|on|for|of|between|with)\b)"
)
#: The words that make an agreement the thing amended, not the one reaching the step.
AMENDED_OBJECT = re.compile(r"\bamendments?\s+(?:to|of|in)\s+(?:the\s+)?(?:\d{4}\s+)?$")
RELATIVE = re.compile(r"\b(?:during\s+which|at\s+which|where|when)\b")


@dataclass
class Step:
    status: str
    when: When | None
    paragraph: int
    basis: str = "reported"
    #: The sentence's meeting gives the date (set once meetings are drafted).
    at_meeting: bool = False
    sentence: int | None = None


@dataclass
class Instrument:
    key: int
    title: str
    kind: str
    short: str = ""
    match: str | None = None
    parties: set[str] = field(default_factory=set)
    groupings: set[str] = field(default_factory=set)
    paragraphs: set[int] = field(default_factory=set)
    steps: list[Step] = field(default_factory=list)
    #: (paragraph, sentence index) of each mention, for the meeting it was reached at.
    sentences: list[int] = field(default_factory=list)


class Agreements:
    def __init__(self, vocabulary: Vocabulary, published: dt.date | None = None):
        self.vocabulary = vocabulary
        self.published = published
        self._last: tuple[int, int] | None = None  # the agreement last named, its paragraph
        self.instruments: list[Instrument] = []
        names = {}
        for record in vocabulary.agreements:
            for name in record.names():
                names.setdefault(name, record)
        self.finder = WordIndex(names)

    def instrument(self, key: int) -> Instrument:
        return self.instruments[key]

    def _get(self, title: str, kind: str, paragraph: int, *, short="", match=None) -> Instrument:
        key = normal(title)
        for found in self.instruments:
            if (
                (match and found.match == match)
                or normal(found.title) == key
                or (short and (found.short == short or normal(found.title) == normal(short)))
            ):
                found.paragraphs.add(paragraph)
                found.short = found.short or short
                found.match = found.match or match
                return found
        found = Instrument(len(self.instruments), title, kind, short, match)
        found.paragraphs.add(paragraph)
        self.instruments.append(found)
        return found

    def mark(self, marks: Marks) -> None:
        """The sentence's agreements: known ones, then titles, then described ones."""
        text = marks.text
        for begin, end, record in self.finder.finditer(text):
            if marks.elsewhere(begin, end, record.countries, HOME):
                continue  # the same words for another pair's agreement
            found = self._get(
                record.name,
                record.kind,
                marks.paragraph,
                short=record.short_name,
                match=record.slug,
            )
            found.parties.update(record.countries)
            marks.add("agreement", begin, end, found.key, replace=("country", "grouping"))
        for m in TITLE.finditer(text):
            if not marks.free(m.start(), m.end(), ignore=("country", "grouping")):
                continue  # a name the database knows, or part of one
            title = clean_title(m.group("title"))
            title = title[:1].upper() + title[1:]  # "a roadmap on …" at a sentence's start
            if len(title.split()) < 2 and not m.group("short") and not title.isupper():
                continue  # "Agreement" alone names nothing
            if re.match(r"^(?:[A-Z][a-z]+\s+)?(?:agreements?|arrangements?|plans?)$", title, re.I):
                continue
            if title.split()[0] in ("Both", "The", "This", "These", "Two"):
                continue
            kind = kind_of(title) or KINDS[head_kind(m, {k: k for k in HEADS})]
            found = self._get(title, kind, marks.paragraph, short=m.group("short") or "")
            marks.add("agreement", m.start(), m.end(), found.key, replace=("country", "grouping"))
        for m in DESCRIBED.finditer(text):
            end = m.end("topic")
            for date in marks.of("date"):  # "… signed an agreement on X in March 2018"
                if m.start("topic") < date.begin < end:
                    end = date.begin
            if not marks.free(m.start("head"), end, ignore=("country",)):
                continue
            head = " ".join(m.group("head").lower().split())
            topic = re.sub(
                r"\s+(?:in|on|at|by|from|since|during)\s*$", "", text[m.start("topic") : end]
            )
            title = f"{head} {_topic(topic)}"
            partners = sorted({x.value for x in marks.of("country")} - {HOME})
            if len(partners) == 1:  # "India–Japan plan for …", as such instruments are named
                title = f"India–{self.vocabulary.country_name(partners[0])} {title}"
            else:
                title = title[:1].upper() + title[1:]
            found = self._get(title, DESCRIBED_KIND.get(head, "other"), marks.paragraph)
            marks.add("agreement", m.start("head"), end, found.key, replace=("country",))

    def mark_acronyms(self, marks: Marks) -> None:
        """Later mentions of a new agreement by the acronym the report gave it ("the DCA")."""
        for found in self.instruments:
            if found.short and not found.match:
                for m in re.finditer(rf"(?<![\w-]){re.escape(found.short)}(?![\w-])", marks.text):
                    if marks.add("agreement", m.start(), m.end(), found.key):
                        found.paragraphs.add(marks.paragraph)

    def _anaphora(self, marks: Marks) -> None:
        """ "The agreement", "the pact": the one last named in the paragraph."""
        for m in ANAPHORA.finditer(marks.text):
            before = [x for x in marks.of("agreement") if x.end <= m.start()]
            if before:
                found = self.instruments[before[-1].value]
            elif self._last is not None and self._last[1] == marks.paragraph:
                found = self.instruments[self._last[0]]
            else:
                continue
            if (
                kind_of(m.group("head")) in (found.kind, AgreementKind.AGREEMENT)
                or (
                    found.kind in (AgreementKind.TRADE, AgreementKind.AGREEMENT)
                    and m.group("head").lower() in ("pact", "treaty", "accord")
                )
                or kind_of(m.group("head")) == found.kind
            ):
                marks.add("agreement", m.start("head"), m.end(), found.key)

    def read_steps(self, marks: Marks) -> None:
        """The step each agreement of the sentence has reached, and its date."""
        self._anaphora(marks)
        mentions = _joined(marks.text, marks.of("agreement"))
        if mentions:
            self._last = (mentions[-1].value, marks.paragraph)
        if not mentions:
            return
        text = marks.text
        dates = [m for m in marks.of("date") if m.value.known]
        pending = []
        for mention in mentions:
            found = self.instruments[mention.value]
            found.sentences.append(marks.sentence.index)
            found.paragraphs.add(marks.paragraph)
            for hidden in marks.hidden:
                if mention.begin <= hidden.begin and hidden.end <= mention.end:
                    if hidden.kind == "country":
                        found.parties.add(hidden.value)
                    elif hidden.kind == "grouping":
                        found.groupings.add(hidden.value)
            year = YEAR_BEFORE.search(text[max(0, mention.begin - 12) : mention.begin])
            year = year or re.match(r"(?P<year>(?:19|20)\d\d)\s", mention.text)
            signed = When(_year(int(year.group("year"))), None, "year") if year else None
            if signed and signed.start > (self.published or dt.date.today()):
                signed = None  # "the 2030 roadmap": a target year
            if signed and not any(s.when == signed for s in found.steps):
                # "the 1993 MoU": the year it was signed
                found.steps.append(
                    Step(AgreementStatus.SIGNED, signed, marks.paragraph, "inferred")
                )
            step = self._step(text, mention, mentions)
            if step is not None:
                pending.append((found, *step, mention.end))
        # A date the clause gives a step word, then the sentence's only date for the rest,
        # unless another step has it ("the MLSA, signed in June 2020 … the roadmap").
        near = [(item, _date_near(text, item[3], dates, item[4])) for item in pending]
        used = {id(when) for _, when in near if when is not None}
        for (found, status, basis, at, _end), when in near:
            if when is None and len(dates) == 1 and id(dates[0].value) not in used:
                when = _only_date(dates[0], at)
            # "since the AITIGA was signed": an earlier step, of no date the text gives.
            earlier = re.search(
                r"\b(?:since|ever\s+since|after|before)\s+(?:the\s+)?[^,;]{0,60}$", text[:at]
            )
            if (
                earlier
                and when is None
                and status in (AgreementStatus.SIGNED, AgreementStatus.AGREED)
            ):
                found.steps.append(
                    Step(status, None, marks.paragraph, basis, sentence=marks.sentence.index)
                )
                continue
            if any(s.status == status and s.sentence == marks.sentence.index for s in found.steps):
                continue
            found.steps.append(
                Step(
                    status,
                    when,
                    marks.paragraph,
                    basis,
                    at_meeting=when is None,
                    sentence=marks.sentence.index,
                )
            )

    @staticmethod
    def _step(text: str, mention, mentions):
        """The step word nearest the mention within its clause, and where it is."""
        others = [m for m in mentions if m is not mention]
        begin = max([text.rfind(s, 0, mention.begin) for s in (";", ". ")] + [0])
        stop = min([i for i in (text.find(";", mention.end),) if i >= 0] or [len(text)])
        best = None
        for status, pattern, basis in STEP_PATTERNS:
            for m in pattern.finditer(text, begin, stop):
                if mention.begin <= m.start() < mention.end:
                    continue  # a word of the name itself ("Exchange of Letters")
                # Another agreement between the word and this one has the word to itself,
                # unless the two are listed together or this one is how the other is amended
                # ("approved an amendment to the MoU through an Exchange of Letters").
                between = (min(m.start(), mention.begin), max(m.end(), mention.end))
                if any(
                    between[0] < o.begin
                    and o.end < between[1]
                    and o.value != mention.value
                    and not _listed(text, o, mention)
                    and not AMENDED_OBJECT.search(text[: o.begin])
                    for o in others
                ):
                    continue
                # "an amendment to X": the step is the amendment's, not X's.
                if m.start() < mention.begin and AMENDED_OBJECT.search(
                    text[m.end() : mention.begin]
                ):
                    continue
                distance = (
                    m.start() - mention.end if m.start() >= mention.end else mention.begin - m.end()
                )
                if distance > 120:
                    continue
                if best is None or distance < best[0]:
                    best = (distance, status, basis, m.start())
        if best is None:
            return None
        return best[1], best[2], best[3]


#: What an instrument is, from the words of its title, the most specific first.
KIND_WORDS = [
    (AgreementKind.IMPLEMENTING_ARRANGEMENT, r"\bimplementing\s+arrangement\b"),
    (AgreementKind.EXCHANGE_OF_LETTERS, r"\bexchange\s+of\s+letters\b"),
    (AgreementKind.MEMORANDUM_OF_AGREEMENT, r"\bmemorandum\s+of\s+agreement\b|\bmoa\b"),
    (AgreementKind.MOU, r"\bmemorandum\s+of\s+understanding\b|\bmou\b"),
    (
        AgreementKind.TRADE,
        r"\b(?:free\s+trade|trade\s+(?:in|and)\s+goods|economic\s+(?:cooperation|"
        r"partnership)\s+agreement|ceca|cepa|fta)\b",
    ),
    (AgreementKind.ROADMAP, r"\broad\s*-?\s*map\b"),
    (AgreementKind.PLAN, r"\bplan\b"),
    (AgreementKind.ARRANGEMENT, r"\barrangement\b"),
    (AgreementKind.AGREEMENT, r"\b(?:agreement|pact|treaty|accord|protocol|convention)\b"),
]


def kind_of(title: str) -> str | None:
    for kind, words in KIND_WORDS:
        if re.search(words, title, re.IGNORECASE):
            return kind
    return None


def _topic(text: str) -> str:
    """What a described instrument is for, as a title puts it: "to improve bilateral
    cooperation in R&D" → "for cooperation in R&D"."""
    text = clean_title(text)
    verbs = r"(?:improve|enhance|strengthen|boost|deepen|expand|promote|further|advance|build)"
    return re.sub(rf"^to\s+{verbs}\s+(?:the\s+)?(?:bilateral\s+)?", "for ", text)


def _joined(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions with a name and its acronym in brackets after it as one: "the Security of
    Supplies Agreement (SOSA)"."""
    joined: list[Mention] = []
    for mention in mentions:
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.value == mention.value
            and re.fullmatch(r"\s*\(\s*", text[last.end : mention.begin])
        ):
            end = mention.end + (1 if text[mention.end : mention.end + 1] == ")" else 0)
            joined[-1] = Mention(last.kind, last.begin, end, last.value, text[last.begin : end])
        else:
            joined.append(mention)
    return joined


def _listed(text: str, other, mention) -> bool:
    """Whether two agreements stand in one list ("the SOSA and the MoA"): a step word then
    counts for both."""
    first, second = sorted([other, mention], key=lambda m: m.begin)
    between = text[first.end : second.begin]
    return bool(
        re.fullmatch(r"[)\s]*(?:,|and|&|as\s+well\s+as|-|–)\s*(?:and\s+)?(?:the\s+)?", between)
    )


def _date_near(text: str, at: int, dates, name_end: int | None = None) -> When | None:
    """The date of a step word: the date in its clause after it ("signed in May 2019"), or
    right after the name it is the step of ("signed an agreement on … in March 2018"), else
    before it in a relative clause ("in August 2024, during which … were signed")."""
    after = [
        d
        for d in dates
        if (0 <= d.begin - at <= 70 or (name_end is not None and 0 <= d.begin - name_end <= 12))
        and d.begin > at
        and not re.search(r"[;]", text[at : d.begin])
        # "extended until 2031": how long it runs, not when the step was reached
        and not re.match(r"(?:until|till|through|by|to)\b", d.text, re.I)
        and not re.search(
            r"\b(?:until|till|through|up\s+to)\s*$", text[max(0, d.begin - 12) : d.begin]
        )
    ]
    if after:
        return after[0].value
    before = [d for d in dates if d.end <= at and RELATIVE.search(text[d.end : at])]
    if before:
        return before[-1].value
    return None


def _only_date(date, at: int) -> When | None:
    """The sentence's one date, before the step word: "On Monday the two sides signed …"."""
    return _single(date.value) if date.end <= at else None


def _single(when: When) -> When:
    """A step's date from a meeting's: a span of days in one month is that month."""
    if when.end is None:
        return when
    first, last = when.start, when.last_day() or when.start
    if (first.year, first.month) == (last.year, last.month):
        return When(first.replace(day=1), None, "month")
    return When(first.replace(month=1, day=1), None, "year")


def _year(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def parties_of(found: Instrument, context: set[str]) -> list[str]:
    """The parties: the countries its name gives, else those of the meeting (or sentence) it
    is named in; India always."""
    parties = set(found.parties) or set(context)
    return sorted(parties | {HOME})
