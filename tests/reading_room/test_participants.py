"""Participants on the researcher pages: an official's several posts, and participants the
sources describe without naming them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from engagements.models import Meeting, Official, Post

pytestmark = pytest.mark.django_db

LAO = "2024-11-20-rajnath-singh-chansamone-chanyalath-talks"
POSTS = ("la-deputy-prime-minister", "la-minister-of-national-defence")


def test_meeting_page_shows_every_post_of_a_participant(client):
    body = client.get(Meeting.objects.get(slug=LAO).get_absolute_url()).content.decode()
    for slug in POSTS:
        post = Post.objects.get(slug=slug)
        assert f'<a href="{post.get_absolute_url()}">{post.title}</a>' in body


def test_meeting_page_and_list_show_described_participants(client):
    visit = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    body = client.get(visit.get_absolute_url()).content.decode()
    assert "Cabinet Ministers and senior officials" in body
    assert "<td>Singapore</td>" in body  # the delegation's country
    assert "Member of delegation" in body
    listed = client.get(reverse("engagements:meeting_list"), {"q": "Korean"}).content.decode()
    assert "CEOs of Korean defence companies" in listed
    assert "CEOs of Indian defence companies" in listed


def test_official_and_post_pages_show_the_posts_held_at_meetings(client):
    chansamone = Official.objects.get(slug="chansamone-chanyalath")
    body = client.get(chansamone.get_absolute_url()).content.decode()
    for slug in POSTS:
        assert Post.objects.get(slug=slug).get_absolute_url() in body
    deputy = Post.objects.get(slug="la-deputy-prime-minister")
    body = client.get(deputy.get_absolute_url()).content.decode()
    assert "Meetings attended in this post" in body
    assert Meeting.objects.get(slug=LAO).get_absolute_url() in body
    # The other post held there is linked; this one is not linked to itself.
    assert Post.objects.get(slug=POSTS[1]).get_absolute_url() in body
