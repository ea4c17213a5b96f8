"""The HTML report in a real browser: headless Chromium renders it, the flagged cells are
visible with their colours, and a screenshot is taken.

Skipped when no Chromium is installed (``apt-get install chromium``; ``.ci/run`` tries).
"""
from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from _corpus import SEED, break_seed

from gov_audit._cli import run

pytestmark = pytest.mark.browser

BROWSER = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]

# Injected into a copy of the page only: the report itself has no scripts.
PROBE = """<script>
document.addEventListener("DOMContentLoaded", () => {
  const cells = [...document.querySelectorAll("td.flag")].map(td => {
    const s = getComputedStyle(td), r = td.getBoundingClientRect();
    return {code: td.dataset.code, cls: td.className, bg: s.backgroundColor, outline: s.outlineStyle,
            outlineWidth: s.outlineWidth, w: r.width, h: r.height, visible: s.visibility};
  });
  const notes = [...document.querySelectorAll("li.note")].map(li => li.getBoundingClientRect().height);
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify({cells, notes});
  document.body.appendChild(pre);
});
</script>"""


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    if BROWSER is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    folder = tmp_path_factory.mktemp("html")
    (folder / "坡头乡-改.txt").write_text(break_seed(), encoding="utf-8")
    shutil.copy(SEED, folder / "坡头乡.txt")
    target = folder / "report.html"
    code = run(["check", str(folder), "--format", "html", "-o", str(target)], stdout=io.StringIO(),
               stderr=io.StringIO())
    assert code == 1 and target.exists()
    return target


def test_rendered_dom_has_the_highlighted_cells_visible(page, tmp_path):
    probe = page.with_name("probe.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    proc = chromium(tmp_path, "--dump-dom", probe.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = lxml.html.fromstring(proc.stdout.encode("utf-8"))
    (pre,) = dom.xpath("//pre[@id='probe']")
    seen = json.loads(pre.text)
    cells = {c["code"]: c for c in seen["cells"]}
    # t3.balance[natural] and t3.row_total[new] fail: their cells are flagged, the 自然人 cell is the suspect
    assert {"t3.new.natural", "t3.carry_in.natural", "t3.total.natural", "t3.carry_out.natural",
            "t3.new.total", "t3.new.commercial", "t3.new.other_org"} <= set(cells)
    for c in cells.values():
        assert c["w"] > 10 and c["h"] > 10 and c["visible"] == "visible", c
        assert c["bg"] == "rgb(253, 228, 225)", c  # the error fill, as the browser computed it
    suspect = cells["t3.new.natural"]
    assert "suspect" in suspect["cls"] and suspect["outline"] == "solid" and suspect["outlineWidth"] == "3px"
    assert len(seen["notes"]) == 2 and all(h > 20 for h in seen["notes"])
    # the rendered DOM keeps the structure tools rely on
    assert dom.get("lang") == "zh-CN"
    assert dom.xpath("//td[@data-code='t3.new.natural']//span[@class='fix']")[0].text == "→ 0"


def test_screenshot(page, tmp_path):
    shot = page.with_name("report.png")
    proc = chromium(tmp_path, "--window-size=1400,1800", f"--screenshot={shot}", page.as_uri())
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = pytest.importorskip("PIL.Image").open(shot).convert("RGB")
    assert image.size == (1400, 1800)
    colours = image.getcolors(maxcolors=1 << 20)
    fill = sum(n for n, rgb in colours if rgb == (253, 228, 225))
    assert fill > 2000, "the error fill is not on screen"
