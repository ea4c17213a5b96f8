#!/usr/bin/env python3
"""Write docs/rules.md, the rule catalogue, from rules/checks/*.yaml.

    .venv/bin/python scripts/gen_rule_catalogue.py           # rewrite docs/rules.md
    .venv/bin/python scripts/gen_rule_catalogue.py --check   # exit 1 if it is out of date

The same text is printed by ``gov-audit rules --format markdown``;
tests/test_cli_catalogue.py fails when the committed file is stale.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gov_audit._output._catalogue import rules_markdown

TARGET = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--check", action="store_true", help="only check that docs/rules.md is up to date")
    check = args.parse_args(argv).check
    text = rules_markdown()
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if check:
        if current != text:
            print(f"{TARGET} is out of date: run scripts/gen_rule_catalogue.py", file=sys.stderr)
            return 1
        return 0
    if current != text:
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
