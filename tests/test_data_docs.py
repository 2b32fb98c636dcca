"""Data Docs: rendered by GX and made to work offline (test_data_docs_browser.py draws them)."""

from pathlib import Path

import pytest

from conftest import footing_frame
from expectations.docs_assets import localise
from expectations.runner import Validator
from expectations.suites import audit_suite, with_audit_pairs

pytestmark = pytest.mark.unit


def test_localise_rewrites_cdn_links_to_local_copies(tmp_path):
    assets = tmp_path / "assets"
    (assets / "jquery").mkdir(parents=True)
    (assets / "jquery" / "jquery.min.js").write_text("/* jquery */")
    docs = tmp_path / "docs"
    (docs / "validations" / "s").mkdir(parents=True)
    page = docs / "validations" / "s" / "p.html"
    page.write_text(
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js" integrity="sha-x"'
        ' crossorigin="anonymous"></script>'
        '<script src="https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js">'
    )
    assert localise(docs, assets) == 1
    text = page.read_text()
    # Relative to the page; the lock attributes that would block file:// are gone.
    assert '<script src="../../static/vendor/jquery/jquery.min.js"></script>' in text
    # No local copy of bootstrap-table here: its CDN link stays as GX wrote it.
    assert "https://unpkg.com/bootstrap-table@1.19.1" in text
    assert (docs / "static" / "vendor" / "jquery" / "jquery.min.js").exists()


def test_published_docs_path_is_beside_the_warehouse(tmp_path):
    from orchestration.resources import WarehouseConfig

    config = WarehouseConfig(warehouse_dir=str(tmp_path / "wh"), build_db=str(tmp_path / "b.db"))
    assert config.data_docs_path() == Path(tmp_path / "wh" / "data_docs")
    assert config.expectations_project_path() == tmp_path / "gx"


def test_docs_keep_the_newest_runs_of_each_suite(tmp_path):
    project, docs = tmp_path / "gx", tmp_path / "docs"
    for run in range(7):
        validator = Validator(f"run-{run}", docs_dir=docs, project_dir=project)
        validator.validate(audit_suite("audit_footings"), with_audit_pairs(footing_frame()))
        validator.build_docs()
    kept = sorted(p.name for p in (docs / "validations" / "audit_footings").iterdir())
    # run_name sorts as text here: run-2 .. run-6 are the five newest
    assert kept == [f"run-{i}" for i in range(2, 7)]
    index = (docs / "index.html").read_text()
    assert "run-6" in index and "run-1" not in index
