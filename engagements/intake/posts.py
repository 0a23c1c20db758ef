"""Posts as reports write them before or after a name: "Defence Minister", "Minister for
Defence Industry & Capability Delivery", "Secretary (East)", "Deputy Prime Minister and
Minister of National Defence", and the posts the database knows by title or alias.

A post is a head word (Minister, Secretary, Prime Minister, Ambassador, Chief of the Army
Staff…) with the words of an office around it (Defence, External Affairs, National…), which
come from a list here, so that a name after the post is not read as part of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .phrases import normal
from .vocabulary import PostInfo, Vocabulary

HEADS = [
    r"Prime\s+Minister",
    r"Deputy\s+Prime\s+Minister",
    r"PM",
    r"President",
    r"Vice[\s-]President",
    r"Premier",
    r"Chancellor",
    r"Minister(?:\s+of\s+State)?",
    r"Secretary[\s-]General",
    r"Under[\s-]Secretary",
    r"Secretary",
    r"Ambassador",
    r"High\s+Commissioner",
    r"Envoy",
    r"Chief\s+of\s+(?:the\s+)?(?:Army|Naval|Air|Defen[cs]e)\s+Staff",
    r"Chief\s+of\s+(?:the\s+)?Defen[cs]e\s+Forces?",
    r"Chief\s+of\s+Staff",
    r"Commander[\s-]in[\s-]Chief",
    r"Chief",
    r"Commander",
    r"Chairman",
    r"Chairperson",
    r"Chair",
    r"Director[\s-]General",
    r"Director",
    r"Adviser",
    r"Advisor",
    r"Counsellor",
    r"Spokesperson",
    r"Spokesman",
    r"Raksha\s+Mantri",
    r"Rajya\s+Raksha\s+Mantri",
    r"Mantri",
    r"King",
    r"Queen",
    r"Emir",
    r"Crown\s+Prince",
    r"Governor",
    r"Chief\s+Minister",
    r"Attach[eé]",
]
HEAD = "(?:" + "|".join(sorted(HEADS, key=len, reverse=True)) + r")(?![\w])"
#: Words before a head that make another post of it.
MODIFIERS = (
    r"(?:Deputy|Vice|Acting|Senior|Principal|Additional|Joint|Assistant|Permanent|"
    r"Parliamentary|Executive|Special|Union|Federal|Cabinet|Chief|First|Second)"
)
#: Words of an office, as posts and ministries are named.
OFFICE_WORDS = set(
    [
        "Defence",
        "Defense",
        "National",
        "Foreign",
        "External",
        "Affairs",
        "Home",
        "Interior",
        "Finance",
        "Industry",
        "Industries",
        "Capability",
        "Delivery",
        "Acquisition",
        "Program",
        "Programme",
        "Administration",
        "Production",
        "Procurement",
        "Science",
        "Technology",
        "Technologies",
        "Veterans",
        "Army",
        "Navy",
        "Naval",
        "Air",
        "Force",
        "Forces",
        "Staff",
        "Security",
        "Integrated",
        "Operations",
        "Research",
        "Development",
        "Commerce",
        "Trade",
        "Economy",
        "Economic",
        "Energy",
        "Petroleum",
        "Health",
        "Education",
        "Justice",
        "Logistics",
        "Office",
        "International",
        "Cooperation",
        "Relations",
        "Policy",
        "Planning",
        "Strategy",
        "Strategic",
        "Intelligence",
        "Maritime",
        "Coast",
        "Guard",
        "Shipping",
        "Ports",
        "Waterways",
        "Civil",
        "Aviation",
        "Aerospace",
        "Space",
        "Cyber",
        "Information",
        "Broadcasting",
        "Communications",
        "Legal",
        "Treasury",
        "Revenue",
        "Resources",
        "Materiel",
        "Equipment",
        "Personnel",
        "Public",
        "Works",
        "Infrastructure",
        "Transport",
        "Railways",
        "Enterprise",
        "Manufacturing",
        "Digital",
        "Agriculture",
        "Fisheries",
        "Environment",
        "Climate",
        "Tourism",
        "Culture",
        "Youth",
        "Sports",
        "Labour",
        "Employment",
        "Social",
        "Welfare",
        "Overseas",
        "Consular",
        "Protocol",
        "Emergency",
        "Disaster",
        "Management",
        "Investment",
        "Armed",
        "Military",
        "Marine",
        "Corps",
        "Territorial",
        "Homeland",
        "Internal",
        "Border",
        "Industrial",
        "Ordnance",
        "Budget",
        "Innovation",
        "Services",
        "Service",
        "Coordination",
        "Supply",
        "Exports",
        "Export",
        "Asia",
        "Pacific",
        "Europe",
        "Americas",
        "Africa",
        "East",
        "West",
        "North",
        "South",
        "Central",
        "Regional",
        "Cabinet",
        "State",
        "Mobilisation",
        "Mobilization",
        "R&D",
    ]
)
_CONNECT = r"(?:\s+(?:and|&|of|for|the|on)\s+|\s*&\s*|\s+)"


@dataclass(frozen=True)
class PostPhrase:
    """A post as the text gives it, and the database's post it is, when it is one."""

    title: str
    match: str | None = None  # the Post's slug
    country: str | None = None  # the matched post's country


def _office_pattern(words: set[str]) -> str:
    return (
        "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![\w])"
    )


class PostGrammar:
    """The post pattern for one vocabulary (its post titles add office words)."""

    def __init__(self, vocabulary: Vocabulary):
        # The office words are this module's list, not the database's titles: the pattern
        # stays one for the process (compiled once), and a post the database knows is found
        # by ``known`` from the words the pattern reads.
        words = set(OFFICE_WORDS)
        office = _office_pattern(words)
        parenthesis = r"(?:\s*\((?:[A-Z][\w]*)(?:\s+[A-Z][\w]*)?\))"
        before = rf"(?:{office}(?:\s+(?:and|&)\s+|\s*&\s*|\s+)){{0,4}}"
        after = rf"(?:\s+(?:of|for)\s+(?:the\s+)?{office}(?:{_CONNECT}{office})*)?"
        ministry = (
            rf"(?:(?:Ministry|Department)\s+of\s+(?:the\s+)?{office}(?:{_CONNECT}{office})*\s+"
            r"|MEA\s+|MoD\s+)?"
        )
        # "Navy chief", "Army Chief": a service's head, however it is capitalised.
        service = r"(?:Army|Navy|Naval|Air\s+Force|Coast\s+Guard|Marine\s+Corps)\s+[Cc]hief(?![\w])"
        single = (
            rf"(?:{ministry}(?:{MODIFIERS}[\s-]+)*{before}{HEAD}{after}{parenthesis}?|{service})"
        )
        self.single = single
        #: One post, or two joined by "and" ("Deputy Prime Minister and Minister of …").
        self.post = rf"(?:{single})(?:\s+and\s+(?:{single}))?"
        self.plural = rf"{ministry}(?:{MODIFIERS}[\s-]+)*{before}(?:{HEAD})s{after}"
        self.posts = vocabulary.posts
        self._by_title: dict[tuple[str, str], PostInfo] = {}
        self._by_any: dict[str, list[PostInfo]] = {}
        for post in vocabulary.posts:
            for title in (post.title, *post.aliases):
                self._by_title[(post.country, normal(title))] = post
                self._by_any.setdefault(normal(title), []).append(post)

    def known(self, title: str, country: str | None) -> PostInfo | None:
        """The database's post of ``country`` titled (or aliased) ``title``; without a country,
        the one post anywhere so titled or aliased, if only one is."""
        titles = [title, *split_posts(title)]
        for each in titles:
            key = normal(each)
            if country and (country, key) in self._by_title:
                return self._by_title[(country, key)]
            if not country and len(self._by_any.get(key, [])) == 1:
                return self._by_any[key][0]
        return None


def split_posts(title: str) -> list[str]:
    """ "Deputy Prime Minister and Minister of National Defence" → both posts."""
    parts = re.split(
        r"\s+and\s+(?=(?:Deputy\s+|Vice\s+)?(?:Prime\s+)?(?:Minister|Secretary|President|Chief)\b)",
        title,
    )
    return [p.strip() for p in parts if p.strip()]
