"""The words by which news reports tell of meetings, as patterns over a masked sentence.

Placeholders stand for the sentence's mentions (``⟨official:3⟩``, ``⟨country:0⟩``; see
``masking``); the patterns name the verbs and nouns around them: talks ("met", "held talks
with", "called on"), visits ("visited", "is on a visit to", "his visit to"), parents ("on the
sidelines of", "coincided with"), sessions ("the next edition", "scheduled"), industry events
and what a sentence goes on to say of the meeting before. ``meetings`` and its readers use
them; kept here so that each reader's module holds its rules, not a page of patterns.
"""

from __future__ import annotations

import re

OFFICIAL = r"⟨official:\d+⟩"
COUNTRY = r"⟨country:\d+⟩"
COUNTERPARTS = r"⟨counterparts:\d+⟩"
WHO = rf"(?:{OFFICIAL}|{COUNTERPARTS})"
PLACE = r"⟨(?:country|city):\d+⟩"
PLACES = rf"{PLACE}(?:\s*(?:,|and|&)\s*(?:the\s+)?{PLACE})*(?:\s*\({COUNTRY}\))?"
# A full stop that ends no clause: after an initial or an abbreviated rank ("Gen. Pande").
_ABBR_DOT = (
    r"(?:(?<=\bGen)|(?<=\bLt)|(?<=\bCol)|(?<=\bDr)|(?<=\bMr)|(?<=\bMrs)|(?<=\bMs)|"
    r"(?<=\bAdm)|(?<=\bBrig)|(?<=\bMaj)|(?<=\bCapt)|(?<=\bSt)|(?<=\b[A-Z]))\."
)
#: Any character of one clause.
ANY = rf"(?:[^.;]|\.(?=\S)|{_ABBR_DOT})"
# Words between a subject and its verb: adverbs, a date, "also", a title in apposition.
_GAP = r"(?:[^.;⟨]|⟨(?:date|country|city):\d+⟩){0,60}?"

ENCOUNTER = re.compile(
    rf"(?P<subj>{OFFICIAL})(?P<gap>{_GAP})\b(?P<verb>"
    r"met(?:\s+with)?|meets(?:\s+with)?|(?:will|to|would)\s+meet(?:\s+with)?|meeting\s+with|"
    r"held\s+(?:(?:a|an|bilateral|separate|extensive|wide-ranging|delegation-level|detailed|"
    r"fruitful|productive|comprehensive)\s+){0,3}(?:talks|discussions|meetings?|bilaterals|"
    r"consultations|parleys|a\s+meeting|bilateral\s+meetings?)\s+with|"
    r"engaged\s+in\s+(?:\w+\s+){0,3}(?:talks|discussions|dialogue)\s+with|"
    r"had\s+(?:\w+\s+){0,4}(?:talks|discussions|meetings?|interactions?|conversation|"
    r"opportunity\s+to\s+meet)(?:\s+with)?|"
    r"spoke\s+(?:to|with)|called\s+on|calls\s+on|paid\s+(?:a\s+)?(?:courtesy\s+)?call\s+on|"
    r"received|hosted|interacted\s+with|conferred\s+with|"
    r"(?:to\s+)?discuss(?:ed)?\s+(?:[^⟨.;]{0,60}?)\s+with"
    rf")\s+(?P<objs>{ANY}*)"
)
#: Where a sentence's objects end: a new clause ("…, where he", "and discussed").
OBJECT_END = re.compile(
    r"\s+(?:to\s+(?:discuss|review|explore|strengthen)|where|who\s+(?!is\b)|which|and\s+"
    r"(?:discussed|reviewed|agreed|held|also)|after|before)\b|[;]"
)
MEETING_WITH = re.compile(
    rf"\b(?i:in|during|at|after|before|following)\s+(?:his|her|their|the|a)\s+(?:\w+\s+){{0,2}}"
    rf"(?:meeting|talks|discussions|interaction|bilateral|conversation)\s+with\s+"
    rf"(?:(?:⟨country:\d+⟩|[A-Z][\w&'’.-]*|of|for|and|the|&)\s+){{0,12}}(?P<obj>{WHO})"
)
JOINT_MEETING = re.compile(
    rf"(?P<a>{OFFICIAL})(?:[^⟨.;]|⟨country:\d+⟩){{0,50}}?\s+and\s+(?:[^⟨.;]|⟨country:\d+⟩){{0,50}}?"
    rf"(?P<b>{OFFICIAL})['’]s?\s+(?:\w+\s+){{0,2}}(?:meeting|talks|discussions)"
    rf"|(?:meeting|talks|discussions)\s+between\s+(?P<c>{OFFICIAL})\s+and\s+(?P<d>{OFFICIAL})"
)
VISIT = re.compile(
    rf"(?P<subj>{OFFICIAL})(?P<gap>{_GAP})\b(?P<verb>visited|visits|is\s+visiting|will\s+visit|"
    rf"(?:is|was|will\s+be)\s+on\s+(?:an?|his|her)\s+(?:[\w-]+\s+){{0,3}}visit\s+to|"
    rf"arrived\s+in|arrives\s+in|reached|travell?ed\s+to|will\s+travel\s+to|"
    rf"(?:concluded|began|begins|started|ended|wrapped\s+up|paid|pays|undertook|embarked\s+on)"
    rf"\s+(?:an?|his|her|the)\s+(?:[\w-]+\s+){{0,3}}visit\s+to)\s+(?:the\s+)?(?P<place>{PLACES})"
)
VISIT_OF = re.compile(
    rf"(?P<subj>{OFFICIAL})['’]s?\s+(?:[\w-]+\s+){{0,3}}visit\s+to\s+(?:the\s+)?(?P<place>{PLACES})"
    rf"|visit\s+of\s+(?:⟨country:\d+⟩(?:['’]s)?\s+)?(?:[A-Z][\w]*\s+){{0,4}}(?P<subj2>{OFFICIAL})\s+to\s+"
    rf"(?:the\s+)?(?P<place2>{PLACES})"
)
HIS_VISIT = re.compile(
    rf"\b(?P<lead>during|on|after|before|upon|ahead\s+of|since)?\s*(?:his|her|(?i:the)\s+"
    rf"(?:[A-Z][\w-]*\s+){{0,3}}(?:[Mm]inister|[Ss]ecretary|[Cc]hief|President|Ambassador|"
    rf"Admiral|General)['’]s)\s+"
    rf"(?P<adj>(?:[\w-]+\s+){{0,3}})visit\s+to\s+(?:the\s+)?(?P<place>{PLACES})"
)
ARRIVED_ON = re.compile(
    rf"(?P<who>{OFFICIAL})?[^.;⟨]{{0,20}}\barriv(?:ed|es)\s+in\s+(?:the\s+(?:capital|city)|{PLACE})"
    rf"(?:\s+\w+){{0,2}}?\s+(?:on\s+)?(?P<date>⟨date:\d+⟩)"
)
ARRIVAL = re.compile(rf"\b(?:upon|on|after)\s+(?:his|her)\s+arrival\s+in\s+(?P<place>{PLACE})")
INVITATION = re.compile(
    rf"\b(?i:at)\s+the\s+invitation\s+of\s+(?:[^⟨.;]{{0,30}})?(?P<host>{OFFICIAL})"
)
DURING_VISIT = re.compile(
    r"\b(?:during|in\s+the\s+course\s+of|as\s+part\s+of|on)\s+(?:his|her|the|this)\s+"
    r"(?:[\w-]+\s+)?(?:visit|stay|trip|tour)\b",
    re.IGNORECASE,
)
THE_VISIT = re.compile(r"\b(?:the|this|his|her)\s+(?:[\w-]+\s+)?(?:visit|trip|tour|stay)\b", re.I)
SIDELINES = re.compile(
    r"\b(?:on|at)\s+the\s+(?:sidelines|margins)(?:\s+of\s+(?:the\s+)?(?P<of>[^.;]*))?", re.I
)
ALONGSIDE = re.compile(
    r"\b(?:against\s+the\s+backdrop\s+of|coincided\s+with|coincides\s+with|on\s+the\s+same\s+"
    r"day\s+as|alongside\s+the|at\s+the\s+same\s+time\s+as)\b",
    re.I,
)
ATTEND = re.compile(
    r"\b(?:attended|attends|attending|participated\s+in|took\s+part\s+in|addressed|"
    r"address(?:ing)?|led|co-?chaired|chaired|hosted|will\s+attend|to\s+attend|at)\b",
    re.I,
)
ATTENDED_BY = re.compile(
    rf"\b(?:attended|chaired|hosted|addressed)\s+by\s+(?:[^⟨.;]{{0,30}})?(?P<who>{OFFICIAL})"
)
SESSION_WORDS = r"(?:meeting|session|round|edition|talks|dialogue|summit)"
NEXT = re.compile(
    rf"\b(?:the\s+)?next\s+(?:(?:edition|meeting|session|round)\s+of\s+(?:the\s+)?)?"
    rf"(?=⟨initiative:\d+⟩|{SESSION_WORDS})",
    re.I,
)
SCHEDULED = re.compile(
    r"\b(?:scheduled|slated|will\s+be\s+held|to\s+be\s+held|will\s+take\s+place|to\s+take\s+"
    r"place|is\s+to\s+be|are\s+to\s+be|planned|expected\s+to\s+be\s+held|will\s+meet|next|"
    r"would\s+be\s+held|would\s+take\s+place|would\s+meet)\b",
    re.I,
)
#: The session already told of: "… hosted A and B for the talks".
FOR_THE_TALKS = re.compile(r"\bfor\s+the\s+(?:talks|dialogue|meeting|session|summit|discussions)\b")
CANCELLED = re.compile(r"\b(?:cancelled|canceled|postponed|called\s+off|deferred)\b", re.I)
CHAIR = re.compile(r"\bco-?chair(?:ed|s|ing)?\b", re.I)
INDUSTRY_TITLE = re.compile(
    r"(?<![\w-])(?P<title>(?:[A-Z][\w&’'-]*\s+){0,6}(?:Industry\s+Roundtable|Roundtable|"
    r"Business\s+(?:Forum|Summit|Meet)|CEOs?['’]?\s+Forum|Industry\s+Meet|Investors?['’]?\s+"
    r"(?:Meet|Roundtable|Summit)|Industry\s+Conclave|Seminar|Conclave|Webinar|Symposium))"
)
INDUSTRY_ADDRESS = re.compile(
    r"\b(?:addressed|interacted\s+with|met|held\s+(?:a\s+)?(?:meeting|interaction)\s+with)\s+"
    r"(?:the\s+)?(?P<who>(?:CEOs|chief\s+executives|captains|heads|representatives|leaders|"
    r"members)\s+of\s+[^,.;]{3,90}?(?:industries|industry|companies|firms|businesses|"
    r"enterprises|corporations))",
    re.I,
)
ABOUT_CURRENT = re.compile(
    r"^(?:[^,]{0,40},\s*)?[\"“]?(?:both|the\s+two)\s+(?:sides|leaders|ministers|prime\s+"
    r"ministers|defence\s+ministers|countries|nations|delegations)\b|"
    r"\bthe\s+(?:talks|discussions|meeting|bilateral)\b",
    re.I,
)
PRONOUN = re.compile(
    r"^(?:He|She|His|Her|The\s+(?:[A-Z][\w-]*\s+){0,3}(?:Minister|Mantri|Secretary|[Cc]hief|"
    r"President|Ambassador|Commissioner|Envoy|Admiral|General)(?:['’]s)?)\b"
)
#: Verbs by which a sentence goes on about the meeting its subject is in.
DISCUSSING = re.compile(
    r"\b(?:said|says|emphasi[sz]ed|invited|requested|highlighted|expressed|congratulated|"
    r"recalled|pointed\s+out|agreed|discussed|stressed|noted|welcomed|praised|called\s+for|"
    r"proposed|offered|thanked|underlined|reiterated|reviewed|appreciated|acknowledged|"
    r"affirmed|committed|conveyed|briefed|urged|sought|assured)\b",
    re.I,
)
#: A future meeting: "will meet", "is scheduled to hold talks".
FUTURE_MEETING = re.compile(
    r"\b(?:will|shall)\s+(?:meet|hold|visit|travel)|\bis\s+(?:scheduled|set|expected|due|slated)"
    r"\s+to\b|\b(?:is|are)\s+to\s+(?:meet|hold)\b",
    re.I,
)
