"""The README's "Where the rules live" table names functions that exist."""

import importlib
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def named_homes() -> list[str]:
    text = README.read_text()
    table = text.split("## Where the rules live", 1)[1].split("\n## ", 1)[0]
    homes = []
    for line in table.splitlines():
        if line.startswith("| ") and not line.startswith("| rule") and not line.startswith("|---"):
            where = line.rsplit("|", 2)[1]
            homes += re.findall(r"`([a-z_]+(?:\.[A-Za-z_]+)+)`", where)
    return homes


def resolve(dotted: str) -> object:
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for name in parts[split:]:
            found = getattr(found, name)
        return found
    raise ModuleNotFoundError(dotted)


def test_every_function_the_table_names_exists() -> None:
    homes = named_homes()

    assert len(homes) > 30
    missing = []
    for dotted in homes:
        try:
            resolve(dotted)
        except (ModuleNotFoundError, AttributeError):
            missing.append(dotted)
    assert missing == []
