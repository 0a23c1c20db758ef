"""Keeping ``MeetingTally`` right: database triggers, a rebuild, and a check against the
meetings themselves.

Triggers (AFTER INSERT, UPDATE and DELETE on the meetings and on their country links, on
SQLite and PostgreSQL alike) add to the tally whatever a write adds to the meetings, so every
way of writing is covered: the admin, imports (``COPY`` included), raw SQL, cascades. A meeting
deleted before its links (raw SQL) takes its links' counts with it; a link deleted afterwards
finds no meeting and counts nothing, and the other order comes to the same. On PostgreSQL the
link triggers run once per statement, over the links it changed (transition tables).

Bulk loads on PostgreSQL run with ``session_replication_role = replica``, which skips the
triggers: ``BulkLoad`` rebuilds the tally at the end (``rebuild``: one GROUP BY per level).
"""

from __future__ import annotations

from django.db import connections

from .models import Meeting, MeetingTally

MEETINGS = Meeting._meta.db_table
LINKS = Meeting.countries.through._meta.db_table
TALLY = MeetingTally._meta.db_table
COLUMNS = "country_id, partner_id, year, kind, status, n"
KEY = "partner_id, country_id, year, kind, status"
UPSERT = f"ON CONFLICT ({KEY}) DO UPDATE SET n = {TALLY}.n + excluded.n"


def year_of(vendor: str, date: str) -> str:
    """SQL for the year of ``date``, 0 when it is NULL."""
    if vendor == "postgresql":
        return f"COALESCE(EXTRACT(YEAR FROM {date})::integer, 0)"
    return f"COALESCE(CAST(strftime('%Y', {date}) AS INTEGER), 0)"


# --- what one write adds (sign 1) or takes away (-1) ---------------------------------------


def meeting_counts(vendor: str, row: str, sign: int) -> list[str]:
    """Statements counting the meeting ``row`` (NEW or OLD) and its links, with ``sign``."""
    values = f"{year_of(vendor, f'{row}.start_date')}, {row}.kind, {row}.status, {sign}"
    return [
        f"INSERT INTO {TALLY} ({COLUMNS}) VALUES (0, 0, {values}) {UPSERT}",
        f"INSERT INTO {TALLY} ({COLUMNS}) SELECT country_id, 0, {values} FROM {LINKS} "
        f"WHERE meeting_id = {row}.id {UPSERT}",
        f"INSERT INTO {TALLY} ({COLUMNS}) SELECT a.country_id, b.country_id, {values} "
        f"FROM {LINKS} a JOIN {LINKS} b ON b.meeting_id = a.meeting_id "
        f"AND b.country_id <> a.country_id WHERE a.meeting_id = {row}.id {UPSERT}",
    ]


def link_counts(vendor: str, row: str, sign: int) -> list[str]:
    """Statements counting the link ``row`` (NEW or OLD) with ``sign``: its country, and
    its pairs with the meeting's other countries (both ways). Nothing when the meeting is
    gone."""
    values = f"{year_of(vendor, 'm.start_date')}, m.kind, m.status, {sign}"
    others = (
        f"FROM {LINKS} l JOIN {MEETINGS} m ON m.id = l.meeting_id "
        f"WHERE l.meeting_id = {row}.meeting_id AND l.country_id <> {row}.country_id"
    )
    return [
        f"INSERT INTO {TALLY} ({COLUMNS}) SELECT {row}.country_id, 0, {values} "
        f"FROM {MEETINGS} m WHERE m.id = {row}.meeting_id {UPSERT}",
        f"INSERT INTO {TALLY} ({COLUMNS}) SELECT {row}.country_id, l.country_id, {values} "
        f"{others} {UPSERT}",
        f"INSERT INTO {TALLY} ({COLUMNS}) SELECT l.country_id, {row}.country_id, {values} "
        f"{others} {UPSERT}",
    ]


def link_set_counts(links: str, sign: int) -> str:
    """(meeting, country, partner, sign) for each link of the set ``links`` (id, meeting_id,
    country_id): its country (partner 0), and each pair with another link of its meeting."""
    return (
        f"SELECT a.meeting_id, a.country_id AS country, CASE WHEN b.country_id = a.country_id "
        f"THEN 0 ELSE b.country_id END AS partner, {sign} AS d "
        f"FROM {links} a JOIN {links} b ON b.meeting_id = a.meeting_id"
    )


def links_changed_counts(old: str, new: str) -> str:
    """The statement for PostgreSQL's statement-level link triggers, over their transition
    tables ``old`` and ``new``: the affected meetings' links counted as they are now, less
    as they were. (Row-level triggers there all run after the statement, so each would see
    the others' rows: two links added together would count their pair twice.)"""
    none = (
        "(SELECT NULL::bigint AS id, NULL::bigint AS meeting_id, NULL::bigint AS country_id "
        "WHERE false)"
    )
    old, new = old or none, new or none
    year = year_of("postgresql", "m.start_date")
    return (
        f"WITH affected AS (SELECT meeting_id FROM {new} n UNION SELECT meeting_id FROM {old} o), "
        f"links_now AS (SELECT id, meeting_id, country_id FROM {LINKS} "
        f"WHERE meeting_id IN (SELECT meeting_id FROM affected)), "
        f"links_was AS (SELECT * FROM links_now WHERE id NOT IN (SELECT id FROM {new} n) "
        f"UNION ALL SELECT id, meeting_id, country_id FROM {old} o), "
        f"delta AS ({link_set_counts('links_now', 1)} "
        f"UNION ALL {link_set_counts('links_was', -1)}) "
        f"INSERT INTO {TALLY} ({COLUMNS}) SELECT d.country, d.partner, {year}, m.kind, "
        f"m.status, SUM(d.d) FROM delta d JOIN {MEETINGS} m ON m.id = d.meeting_id "
        f"GROUP BY 1, 2, 3, 4, 5 HAVING SUM(d.d) <> 0 {UPSERT}"
    )


def triggers(vendor: str) -> dict[str, tuple[str, str, str, list[str]]]:
    """name → (event, table, condition, statements). The condition is a WHEN test of a
    row-level trigger, or (PostgreSQL's link triggers) the REFERENCING clause of a
    statement-level one."""
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    moved = " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in ("kind", "status", "start_date"))
    found = {
        "meeting_tally_insert": ("INSERT", MEETINGS, "", meeting_counts(vendor, "NEW", 1)),
        "meeting_tally_delete": ("DELETE", MEETINGS, "", meeting_counts(vendor, "OLD", -1)),
        "meeting_tally_update": (
            "UPDATE OF kind, status, start_date",
            MEETINGS,
            moved,
            meeting_counts(vendor, "OLD", -1) + meeting_counts(vendor, "NEW", 1),
        ),
    }
    if vendor == "postgresql":
        links = {
            "INSERT": ("REFERENCING NEW TABLE AS new_links", ("", "new_links")),
            "DELETE": ("REFERENCING OLD TABLE AS old_links", ("old_links", "")),
            "UPDATE": (
                "REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links",
                ("old_links", "new_links"),
            ),
        }
        made = {e: (when, [links_changed_counts(*tables)]) for e, (when, tables) in links.items()}
    else:
        # SQLite runs a row-level trigger as each row is written: it sees the rows before it.
        relinked = (
            f"OLD.meeting_id {differs} NEW.meeting_id OR OLD.country_id {differs} NEW.country_id"
        )
        made = {
            "INSERT": ("", link_counts(vendor, "NEW", 1)),
            "DELETE": ("", link_counts(vendor, "OLD", -1)),
            "UPDATE": (relinked, link_counts(vendor, "OLD", -1) + link_counts(vendor, "NEW", 1)),
        }
    for event, (when, body) in made.items():
        found[f"meeting_tally_link_{event.lower()}"] = (event, LINKS, when, body)
    return found


def create_triggers_sql(vendor: str) -> list[str]:
    statements = []
    for name, (event, table, when, body) in triggers(vendor).items():
        if vendor == "postgresql":
            statements.append(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "".join(f"{s}; " for s in body)
                + "RETURN NULL; END $$"
            )
            if when.startswith("REFERENCING"):
                level = f"{when} FOR EACH STATEMENT "
            else:
                level = f"FOR EACH ROW WHEN ({when}) " if when else "FOR EACH ROW "
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} {level}EXECUTE FUNCTION {name}()"
            )
        else:
            condition = f"WHEN {when} " if when else ""
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {condition}"
                "BEGIN " + "".join(f"{s}; " for s in body) + "END"
            )
    return statements


def drop_triggers_sql(vendor: str) -> list[str]:
    statements = []
    for name, (_, table, _, _) in triggers(vendor).items():
        statements.append(
            f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if vendor == "postgresql" else "")
        )
        if vendor == "postgresql":
            statements.append(f"DROP FUNCTION IF EXISTS {name}()")
    return statements


# --- the counts from the meetings themselves -----------------------------------------------


def counted_sql(vendor: str) -> list[str]:
    """SELECTs of the tally's rows (its columns, in order) counted from the base tables."""
    year = year_of(vendor, "m.start_date")
    return [
        f"SELECT 0, 0, {year}, m.kind, m.status, COUNT(*) FROM {MEETINGS} m GROUP BY 3, 4, 5",
        f"SELECT l.country_id, 0, {year}, m.kind, m.status, COUNT(*) FROM {LINKS} l "
        f"JOIN {MEETINGS} m ON m.id = l.meeting_id GROUP BY 1, 3, 4, 5",
        f"SELECT a.country_id, b.country_id, {year}, m.kind, m.status, COUNT(*) "
        f"FROM {LINKS} a JOIN {LINKS} b ON b.meeting_id = a.meeting_id "
        f"AND b.country_id <> a.country_id JOIN {MEETINGS} m ON m.id = a.meeting_id "
        "GROUP BY 1, 2, 3, 4, 5",
    ]


def rebuild(using: str = "default") -> None:
    """Count the tally again from the meetings and their links (after a bulk load)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TALLY}")
        for select in counted_sql(connection.vendor):
            cursor.execute(f"INSERT INTO {TALLY} ({COLUMNS}) {select}")


def drift(using: str = "default") -> list[tuple[tuple, int, int]]:
    """(key, kept, counted) for every key whose kept count is not the meetings' count;
    none when the tally is right. Key: (country id, partner id, year, kind, status)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        counted: dict[tuple, int] = {}
        for select in counted_sql(connection.vendor):
            cursor.execute(select)
            counted.update((tuple(row[:5]), row[5]) for row in cursor.fetchall())
        cursor.execute(f"SELECT {COLUMNS} FROM {TALLY} WHERE n <> 0")
        kept = {tuple(row[:5]): row[5] for row in cursor.fetchall()}
    return sorted(
        (key, kept.get(key, 0), counted.get(key, 0))
        for key in kept.keys() | counted.keys()
        if kept.get(key, 0) != counted.get(key, 0)
    )
