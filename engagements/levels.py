"""The level of a meeting: head of state or government, minister, or official.

No field records it: it is read from the titles of the posts the participants held at the
meeting (``Participation.posts``), by one rule kept here, in SQL (for the panels, aggregated
in the database) and in Python (for tests and single records), tested to agree:

- ``head``: a post whose title begins with “Prime Minister” or “President”, or is one of
  ``HEAD_TITLES`` (King, Chancellor, Emir…), compared without regard to case;
- ``minister``: any other post whose title contains “Minister” (a Deputy Prime Minister, a
  Minister of State, a Vice-Minister) or begins with “Secretary of ” (the United States'
  Secretary of Defense, the United Kingdom's Secretary of State for Defence) or “Vice
  President”;
- ``official``: any other post (India's Defence Secretary, chiefs of staff, ambassadors);
- a meeting's level is the highest level of any post held by anyone taking part in it, on
  either side and in any role; ``unknown`` when no participant has a recorded post (described
  delegations and officials without posts do not set a level).

The rule reads titles as the curators enter them (“Minister of Defence”, without the
country), so an unusual title can land a level too low; the codebook says so.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When

from .models import Post

HEAD, MINISTER, OFFICIAL, UNKNOWN = "head", "minister", "official", "unknown"

#: Levels from highest to lowest, with their rank in SQL (0 is unknown).
LEVELS = (HEAD, MINISTER, OFFICIAL)
RANKS = {HEAD: 3, MINISTER: 2, OFFICIAL: 1}
LEVEL_OF_RANK = {3: HEAD, 2: MINISTER, 1: OFFICIAL, 0: UNKNOWN, None: UNKNOWN}

LABELS = {
    HEAD: "Head of state or government",
    MINISTER: "Minister",
    OFFICIAL: "Official",
    UNKNOWN: "No participant's post recorded",
}

HEAD_PREFIXES = ("Prime Minister", "President")
HEAD_TITLES = (
    "King",
    "Queen",
    "Emperor",
    "Sultan",
    "Emir",
    "Amir",
    "Chancellor",
    "Federal Chancellor",
    "Premier",
    "Head of State",
    "Head of Government",
)
MINISTER_WORD = "Minister"
MINISTER_PREFIXES = ("Secretary of ", "Vice President", "Vice-President")


def level_of_title(title: str) -> str:
    """The level of a post with this title."""
    text = (title or "").strip().casefold()
    if any(text.startswith(p.casefold()) for p in HEAD_PREFIXES) or text in {
        t.casefold() for t in HEAD_TITLES
    }:
        return HEAD
    if MINISTER_WORD.casefold() in text or any(
        text.startswith(p.casefold()) for p in MINISTER_PREFIXES
    ):
        return MINISTER
    return OFFICIAL


def ranked_posts() -> dict[int, int]:
    """{post id: rank} of the posts above ``official`` (one query over the posts, a table of
    thousands at most, so the rule runs in Python rather than as text matching on every
    participant's row)."""
    ranks = {}
    for pk, title in Post.objects.values_list("pk", "title").order_by():
        level = level_of_title(title)
        if level != OFFICIAL:
            ranks[pk] = RANKS[level]
    return ranks


def post_rank(field: str, ranked: dict[int, int]) -> Case:
    """SQL: the rank of the post ``field`` (an id), given ``ranked_posts()``."""
    whens = [
        When(**{f"{field}__in": sorted(pk for pk, r in ranked.items() if r == rank)}, then=rank)
        for rank in (RANKS[HEAD], RANKS[MINISTER])
        if rank in ranked.values()
    ]
    return Case(*whens, default=Value(RANKS[OFFICIAL]), output_field=IntegerField())
