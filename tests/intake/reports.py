"""Reports written for the intake's tests, in the manner of news reports (invented events,
our own words; officials the seed knows appear under their seed names)."""

#: A visiting minister's talks and courtesy call, an agreement signed earlier, one under
#: negotiation, a mechanism's next round, an exercise and a partnership by its level.
CANBERRA_VISIT = """ date 2023-06-23 New Delhi [India], June 23 : Australian Deputy Prime \
Minister and Defence Minister Richard Marles held talks with Defence Minister Rajnath Singh \
in New Delhi on Wednesday, during his four-day visit to India.

Marles, who arrived in the capital on June 20, also called on Prime Minister Narendra Modi.

The two ministers welcomed the Mutual Logistics Support Arrangement (MLSA), signed in June \
2020, and said negotiations on a Defence Industry Cooperation Roadmap were under way.

They also reviewed Exercise AUSINDEX and agreed that the seventh round of the \
Australia-India Defence Policy Talks would be held in Canberra in August.

Both sides welcomed the progress of the Comprehensive Strategic Partnership between India \
and Australia.
"""

#: A 2+2 dialogue with its edition, an earlier edition and the next one, and a call on the
#: sidelines of it. Dated by its prefix; the dateline has no date.
TWO_PLUS_TWO = """ date 2022-04-12 WASHINGTON: India and the US held the fourth 2+2 \
ministerial dialogue in Washington on Monday.

Defence Minister Rajnath Singh and US Defense Secretary Lloyd Austin led the talks, which \
reviewed progress since the third edition in New Delhi in October 2020.

The Basic Exchange and Cooperation Agreement (BECA), signed in October 2020, was described \
as a milestone, and officials said the next dialogue would take place in India next year.

On the sidelines of the dialogue, Mr Singh called on US Vice President Kamala Harris.
"""

#: An undated report with a headline-less lede, a session co-chaired, an industry event,
#: and the page's trailing links, which name countries the report is not about.
TOKYO_UNDATED = """Defence Secretary Giridhar Aramane concluded a three-day visit to Japan \
on Friday.

In Tokyo, Aramane co-chaired the sixth India-Japan Defence Policy Dialogue with Japanese \
Vice-Minister of Defense for International Affairs Oka Masami. The two sides discussed \
cooperation in unmanned systems and an MoU on defence equipment transfer signed in 2015.

He also addressed representatives of Japanese defence companies at a Business Roundtable \
organised by the Indian Embassy.

Recent Articles

Pakistan and China hold naval drills

Read More
"""

#: A foreign dateline, ranks and Malay honorifics, a visit over a span of days, an
#: inaugural session still to come, and one postponed.
KUALA_LUMPUR = """ date 2024-03-14 KUALA LUMPUR, March 14 (Bernama) - Malaysian Defence \
Minister Datuk Seri Mohamed Khaled Nordin received Indian Chief of the Army Staff Gen. Manoj \
Pande at the Ministry of Defence on Tuesday.

Gen. Pande, who is on a visit to Malaysia from March 11-15, also met Chief of Army Gen. Tan \
Sri Mohammad Hafizuddeain Jantan.

The two sides agreed to expand the Harimau Shakti exercise and to hold the inaugural \
India-Malaysia Army-to-Army Staff Talks later this year.

A meeting of the Malaysia-India Defence Cooperation Committee planned for last month was \
postponed, officials said.
"""

#: Aliases and counterparts named by country only; an agreement signed in a year and
#: amended later, named again as "the agreement".
NAVY_CHIEF = """ date 2019-05-30 NEW DELHI: Indian Navy chief Admiral Karambir Singh met his \
counterparts from the ROK and Lao PDR in Singapore last week.

The Navy chief's visit to Singapore from May 14-16 also saw the signing of an Implementing \
Arrangement on submarine rescue support with the Republic of Singapore Navy.

India and Singapore signed the Defence Cooperation Agreement in 2003, and the agreement was \
amended in November 2015.
"""

#: A dateline with its date and no year: the year is the prefix's; a meeting "on Monday"
#: in a report of a Monday is that day.
MONDAY = """ date 2024-07-15 New Delhi [India], July 15 : Raksha Mantri Shri Rajnath Singh \
received the visiting Philippine Secretary of National Defense Gilberto Teodoro on Monday.

The two leaders agreed to hold the inaugural India-Philippines Defence Dialogue next month.
"""

#: A published date printed under a headline, a grouping's summit and talks on its
#: sidelines, a multi-day span without a year, and an earlier visit recalled by its year.
SUMMIT = """India and Vietnam deepen defence ties

September 12, 2023

Prime Minister Narendra Modi held talks with Vietnamese Prime Minister Pham Minh Chinh on \
the sidelines of the 20th ASEAN-India Summit in Jakarta on September 7.

Modi recalled his visit to Vietnam in 2016, when the two countries upgraded their ties to a \
Comprehensive Strategic Partnership.

The leaders agreed that Vietnam would host the next Joint Working Group on defence \
industry cooperation later this year.
"""

#: A visit begun on a weekday with a meeting still to come in it, talks on a later day, an
#: earlier session dated to the day, and an agreement described rather than named.
PARIS = """ date 2025-02-14 PARIS, Feb 14 (ANI): Chief of Defence Staff Gen Anil Chauhan \
began a three-day visit to France on Wednesday, during which he will meet French Chief of \
the Defence Staff General Thierry Burkhard.

On Thursday, Gen Chauhan held talks with French Armed Forces Minister Sebastien Lecornu in \
Paris. The two sides agreed to conclude a roadmap on defence industrial cooperation by the \
end of the year.

The 12th India-France Defence Dialogue was held in New Delhi on 14 March 2022, officials \
recalled. India and France signed an agreement on the provision of reciprocal logistics \
support in March 2018.
"""

#: An inaugural 2+2 dialogue, its four ministers listed in one sentence, and an agreement
#: whose date is how long it runs.
RUSSIA_TWO_PLUS_TWO = """ date 2021-12-07 India and Russia held the inaugural 2+2 dialogue \
in New Delhi on Monday, a day after Russian Defence Minister Sergei Shoigu arrived in the \
capital.

Defence Minister Rajnath Singh and External Affairs Minister S Jaishankar hosted Shoigu and \
Foreign Minister Sergey Lavrov for the talks.

The two countries signed an agreement to extend their military-technical cooperation \
programme until 2031.
"""
