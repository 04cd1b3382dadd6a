"""The report opened in a real headless Chromium: no console error, figures laid out, printable.

CI installs Debian's ``chromium`` package; without it the test is skipped with the reason.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from custcentric.report import SECTION_IDS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium is not installed (Debian: `apt-get install -y chromium`)",
    ),
    pytest.mark.slow,
]

_FLAGS = [
    "--headless",
    "--disable-gpu",
    "--no-sandbox",
    "--hide-scrollbars",
    "--no-first-run",
    "--disable-extensions",
    "--mute-audio",
]

# A copy of the page with one script that measures every figure and writes the sizes into
# the DOM; the copy's policy allows that inline script and still forbids any fetch.
_MEASURE = """<script>
document.addEventListener("DOMContentLoaded", () => {
  const sizes = [...document.querySelectorAll("figure")].map(f => {
    const r = f.querySelector("svg").getBoundingClientRect();
    return [f.id, r.width, r.height];
  });
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify(sizes);
  document.body.appendChild(out);
});
</script>"""


def _chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *_FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_report_in_headless_chromium(page: str, tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    html.write_text(page, encoding="utf-8")
    url = html.as_uri()

    # 1. The page as written: it loads and the console stays silent (a blocked fetch, a
    #    policy violation or a script error would be logged as a CONSOLE line).
    loaded = _chromium("--enable-logging=stderr", "--v=0", "--dump-dom", url, tmp=tmp_path)
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert '<section id="idic">' in loaded.stdout
    console = [line for line in loaded.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []

    # 2. Every figure has a non-zero rendered size.
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert policy is not None
    probe = page.replace(policy.group(1), policy.group(1) + "; script-src 'unsafe-inline'")
    probe = probe.replace("</head>", _MEASURE + "</head>")
    probed = tmp_path / "probe.html"
    probed.write_text(probe, encoding="utf-8")
    measured = _chromium("--dump-dom", probed.as_uri(), tmp=tmp_path)
    found = re.search(r'<pre id="measured">(.*?)</pre>', measured.stdout, re.DOTALL)
    assert found is not None, measured.stderr[-2000:]
    sizes = json.loads(found.group(1).replace("&quot;", '"'))
    assert len(sizes) == page.count("<figure ")
    assert all(w > 100 and h > 50 for _, w, h in sizes), sizes

    # 3. A screenshot that is not blank.
    shot = tmp_path / "shot.png"
    _chromium("--window-size=1200,2400", f"--screenshot={shot}", url, tmp=tmp_path)
    from matplotlib.image import imread

    pixels = np.asarray(imread(str(shot)))[..., :3]
    assert pixels.shape[:2] == (2400, 1200)
    assert pixels.std() > 0.05
    assert (np.abs(pixels - pixels[0, 0]).sum(axis=-1) > 0.1).mean() > 0.05

    # 4. Print to PDF gives a PDF of several pages.
    pdf = tmp_path / "report.pdf"
    _chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", url, tmp=tmp_path)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    # The print styles start each section on a new page.
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= len(SECTION_IDS)
