"""The curation desk: the Django admin data-entry staff work in.

One module per part of the data model; :mod:`.base` holds what every admin shares (fast
change lists, change history, CSV import with a preview).
"""

from . import agreements, initiatives, marks, meetings, outcomes, people, places, sources  # noqa: F401
from .base import CurationAdmin

__all__ = ["CurationAdmin"]
