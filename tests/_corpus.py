"""Helpers shared by tests: the real-report fixtures and their truth files."""
from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"
SEED = FIXTURES / "seed-2020-township.txt"


def truth(name: str) -> dict:
    return json.loads((CORPUS / f"{name}.truth.json").read_text(encoding="utf-8"))


def truth_cells(name: str, template_codes: list[str], fill_t2: float | None = 0.0) -> dict[str, float | None]:
    """A full cell dict from a truth file (which covers tables 3 and 4); table 2 filled with ``fill_t2``."""
    cells = truth(name)["cells"]
    return {c: (cells[c] if c in cells else fill_t2) for c in template_codes}


def break_seed() -> str:
    """The seed report's text with 本年新收 × 自然人 printed as 5 instead of 0.

    Two identities fail (t3.balance and t3.row_total) and the cell is the one suspect.
    """
    text = SEED.read_text(encoding="utf-8")
    start = text.index("一、本年新收政府信息公开申请数量")
    end = text.index("\n", text.index("0", start))  # the line holding the row's first value
    return text[:start] + text[start:end].replace("0", "5", 1) + text[end:]
