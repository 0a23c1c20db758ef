"""Database constraints in words and columns: which column a refused row is reported in.

CHECK constraints are left to the database on import (one query per CHECK per row saved);
its refusal is turned back into the constraint's message here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q


def _referenced_fields(node) -> list[str]:
    """Model field names a constraint's condition or expressions mention, in order."""
    names: list[str] = []
    if isinstance(node, Q):
        for child in node.children:
            names += _referenced_fields(child)
    elif isinstance(node, tuple) and len(node) == 2 and isinstance(node[0], str):
        names.append(node[0].split("__")[0])
        names += _referenced_fields(node[1])
    elif isinstance(node, F):
        names.append(node.name.split("__")[0])
    elif hasattr(node, "get_source_expressions"):
        for expression in node.get_source_expressions():
            names += _referenced_fields(expression)
    return names


def constraint_field(constraint) -> str:
    """The model field whose column a constraint's refusal is reported in.

    A unique constraint over several fields names the last (``mechanism`` + ``edition``: the
    edition is taken; ``official`` + ``Lower("name")``: the name); a CHECK names the first
    field its condition tests (“an edition number needs a mechanism”: the edition). ``""``
    when there is none.
    """
    if isinstance(constraint, models.UniqueConstraint):
        names = list(constraint.fields)
        for expression in constraint.expressions:  # Lower("name")
            names += _referenced_fields(expression)
        return names[-1] if names else ""
    names = _referenced_fields(getattr(constraint, "condition", None))
    return next((n for n in names if n not in ("pk", "id")), "")


def validate_unique_constraints(instance, exclude) -> None:
    """``Model.validate_constraints()`` for the unique constraints only."""
    errors = {}
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            if isinstance(constraint, models.CheckConstraint):
                continue
            try:
                constraint.validate(model_class, instance, exclude=exclude)
            except ValidationError as exc:
                field = constraint_field(constraint)
                if field:
                    errors.setdefault(field, []).extend(exc.messages)
                else:
                    errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def check_refusal(instance, exc: Exception) -> ValidationError | None:
    """The CHECK of ``instance``'s model the database's ``exc`` names, as a row error in the
    column of the field it is about; None when it names none."""
    text = str(exc)
    for constraint in instance._meta.constraints:
        if isinstance(constraint, models.CheckConstraint) and constraint.name in text:
            message = constraint.get_violation_error_message()
            field = constraint_field(constraint)
            return ValidationError({field: message} if field else message)
    return None
