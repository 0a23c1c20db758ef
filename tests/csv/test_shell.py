"""``manage.py shell`` starts with every model imported and no complaint about history models."""

from __future__ import annotations

import io

from django.core.management import call_command


def test_shell_imports_the_models_and_leaves_the_history_models_out():
    out = io.StringIO()
    call_command("shell", command="pass", verbosity=2, stdout=out)
    text = out.getvalue()
    assert "could not be automatically imported" not in text
    assert "from engagements.models.meetings import" in text
    assert "Historical" not in text
