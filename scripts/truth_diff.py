"""Developer aid: compare the reader's cells with a corpus truth file (prints differences)."""
import json
import sys

from gov_audit._read import read

for path in sys.argv[1:]:
    truth = json.load(open(path, encoding="utf-8"))
    raw = path[: -len(".truth.json")]
    try:
        rep = read(raw)
    except Exception as exc:  # developer aid: show everything
        print(f"{path}: {type(exc).__name__}: {exc}")
        continue
    bad = [(c, v, rep.cells.get(c)) for c, v in truth["cells"].items()
           if not ((v is None and rep.cells.get(c) is None) or (v is not None and rep.cells.get(c) is not None
                                                               and abs(v - rep.cells[c]) < 1e-9))]
    print(f"{raw.split('/')[-1]}: template {rep.template} (truth {truth['template']}) year {rep.year} "
          f"agency {rep.agency} wrong {len(bad)}/{len(truth['cells'])} {bad[:8]}")
    for f in rep.parse_findings:
        print("   ", f.severity, f.reason, f.message_zh[:150])
