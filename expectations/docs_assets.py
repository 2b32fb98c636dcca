"""Data Docs that work offline: the scripts and styles GX links from CDNs, served locally.

GX's pages load jQuery, Bootstrap and bootstrap-table from CDNs; without them the index is
an empty page (its table is drawn by script). ``make install`` fetches those packages from
the npm registry into a local folder (``python -m expectations.docs_assets DIR``), and every
Data Docs build rewrites the CDN links to copies beside the pages. Where the packages could
not be fetched, the links stay as GX wrote them, which works on a machine with internet.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# npm package -> files (or folders) of it the pages need, relative to the package root.
PACKAGES: dict[str, list[str]] = {
    "jquery@3.7.1": ["dist/jquery.min.js"],
    "popper.js@1.12.9": ["dist/umd/popper.min.js"],
    "bootstrap@4.3.1": ["dist/css/bootstrap.min.css", "dist/js/bootstrap.min.js"],
    "bootstrap-table@1.19.1": [
        "dist/bootstrap-table.min.css",
        "dist/bootstrap-table.min.js",
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
    ],
    "bootstrap-datepicker@1.9.0": [
        "dist/css/bootstrap-datepicker.min.css",
        "dist/js/bootstrap-datepicker.min.js",
    ],
    "@fortawesome/fontawesome-free@6.6.0": ["css/all.min.css", "webfonts"],
}

# A CDN address as GX writes it -> the local file (under the assets folder) that replaces it.
_LINKS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"https://code\.jquery\.com/jquery-[\d.]+\.min\.js"), "jquery/jquery.min.js"),
    (re.compile(r"https://[^\"']*/popper(?:\.js)?/[\d.]+/umd/popper\.min\.js"), "popper.js/popper.min.js"),
    (re.compile(r"https://[^\"']*/bootstrap/[\d.]+/css/bootstrap\.min\.css"), "bootstrap/bootstrap.min.css"),
    (re.compile(r"https://[^\"']*/bootstrap/[\d.]+/js/bootstrap\.min\.js"), "bootstrap/bootstrap.min.js"),
    (re.compile(r"https://[^\"']*/bootstrap-table@[\d.]+/dist/bootstrap-table\.min\.(css|js)"),
     r"bootstrap-table/bootstrap-table.min.\1"),
    (re.compile(r"https://[^\"']*/bootstrap-table@[\d.]+/dist/extensions/filter-control/"
                r"bootstrap-table-filter-control\.min\.(css|js)"),
     r"bootstrap-table/bootstrap-table-filter-control.min.\1"),
    (re.compile(r"https://[^\"']*/bootstrap-datepicker/[\d.]+/(?:css|js)/"
                r"(bootstrap-datepicker\.min\.(?:css|js))"), r"bootstrap-datepicker/\1"),
    (re.compile(r"https://[^\"']*/font-awesome/[\d.]+/css/all\.min\.css"), "fontawesome-free/css/all.min.css"),
]  # fmt: skip
_LOGO = re.compile(r"https://great-expectations-web-assets\.[^\"']*/(logo-long\.png)[^\"']*")
# Subresource-integrity and CORS attributes make a browser refuse a file:// script.
_LOCKS = re.compile(r'\s(?:integrity|crossorigin)="[^"]*"')
VENDOR_DIR = "vendor"


def _package_folder(spec: str) -> str:
    return spec.rsplit("@", 1)[0].split("/")[-1]


def fetch(dest: Path) -> list[str]:
    """Fetch the packages into ``dest`` with ``npm pack``; returns the ones that failed."""
    npm = shutil.which("npm")
    if npm is None:
        return list(PACKAGES)
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for spec, files in PACKAGES.items():
            done = subprocess.run(
                [npm, "pack", spec, "--silent"], cwd=tmp, capture_output=True, text=True
            )
            if done.returncode != 0 or not done.stdout.strip():
                failed.append(spec)
                continue
            unpacked = Path(tmp) / _package_folder(spec)
            with tarfile.open(Path(tmp) / done.stdout.strip().splitlines()[-1]) as archive:
                archive.extractall(unpacked, filter="data")
            target = dest / _package_folder(spec)
            for name in files:
                source = unpacked / "package" / name
                # Font Awesome's CSS finds its fonts at ../webfonts: keep that layout.
                keep_layout = "fontawesome" in spec
                out = target / (name if keep_layout else Path(name).name)
                out.parent.mkdir(parents=True, exist_ok=True)
                if source.is_dir():
                    shutil.copytree(source, out, dirs_exist_ok=True)
                else:
                    shutil.copy2(source, out)
    return failed


def localise(docs_dir: Path, assets_dir: Path | None) -> int:
    """Point every page of ``docs_dir`` at local copies of its assets; returns links changed."""
    if assets_dir is None or not assets_dir.is_dir():
        return 0
    vendor = docs_dir / "static" / VENDOR_DIR
    shutil.copytree(assets_dir, vendor, dirs_exist_ok=True)
    changed = 0
    for page in docs_dir.rglob("*.html"):
        up = "../" * (len(page.relative_to(docs_dir).parts) - 1)
        text = original = page.read_text(encoding="utf-8")

        def local_copy(match: re.Match[str], local: str, up: str = up) -> str:
            nonlocal changed
            path = match.expand(local)
            if not (vendor / path).exists():
                return match.group(0)  # no copy: keep the CDN link
            changed += 1
            return f"{up}static/{VENDOR_DIR}/{path}"

        for pattern, local in _LINKS:
            text = pattern.sub(lambda m, local=local: local_copy(m, local), text)
        text, n = _LOGO.subn(rf"{up}static/images/\1", text)
        changed += n
        if changed:
            text = _LOCKS.sub("", text)
        if text != original:
            page.write_text(text, encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m expectations.docs_assets DEST_DIR", file=sys.stderr)
        return 2
    failed = fetch(Path(argv[0]))
    if failed:
        # Not fatal: Data Docs then load these from their CDNs, as GX wrote them.
        print(f"Data Docs assets not fetched (no npm or no registry): {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
