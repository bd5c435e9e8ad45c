"""A piece of the plain SQL the rollups run over their own tables (rollup.py)."""


def in_list(column: str, values: list[str]) -> tuple[str, list[str]]:
    """`column IN (%s, ...)` and its parameters; an empty list matches nothing."""
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)
