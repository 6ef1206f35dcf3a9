"""Check a tool call's arguments against the tool's JSON schema, after the repairs small models need."""

from __future__ import annotations

from typing import Any

import jsonschema

_COERCE = {
    "integer": lambda s: int(s.strip()),
    "number": lambda s: float(s.strip()) if any(c in s for c in ".eE") else int(s.strip()),
    "boolean": lambda s: {"true": True, "false": False}[s.strip().lower()],
}


def validate_args(args: dict[str, Any], schema: dict | None) -> tuple[dict[str, Any], str | None]:
    """Coerce quoted numbers/booleans the schema asks for, then validate; return (args, error or None).

    >>> schema = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
    >>> validate_args({"a": "3"}, schema)
    ({'a': 3}, None)
    >>> validate_args({}, schema)[1]
    "invalid arguments: 'a' is a required property"
    """
    if not schema:
        return args, None
    properties = schema.get("properties") or {}
    fixed = dict(args)
    for key, value in args.items():
        wanted = (properties.get(key) or {}).get("type")
        if isinstance(value, str) and wanted in _COERCE:
            try:
                fixed[key] = _COERCE[wanted](value)
            except (ValueError, KeyError):
                pass
        elif wanted == "string" and isinstance(value, int | float) and not isinstance(value, bool):
            fixed[key] = str(value)
    validator_cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        errors = sorted(validator_cls(schema).iter_errors(fixed), key=lambda e: list(e.path))
    except jsonschema.SchemaError:
        return fixed, None  # a schema we cannot read is not the model's fault
    if not errors:
        return fixed, None
    described = "; ".join(
        (f"{'/'.join(str(p) for p in e.path)}: " if e.path else "") + e.message for e in errors[:3]
    )
    return args, f"invalid arguments: {described}"
