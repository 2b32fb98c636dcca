"""Data Docs drawn by a real browser: the pages' scripts load from the local copies."""

from __future__ import annotations

import pytest

from conftest import DOCS_ASSETS, footing_frame, render_page
from expectations.runner import Validator
from expectations.suites import audit_suite, with_audit_pairs

pytestmark = pytest.mark.e2e


def test_data_docs_render_offline_in_chromium(tmp_path):
    if not (DOCS_ASSETS / "jquery" / "jquery.min.js").exists():
        pytest.skip("Data Docs assets not fetched (make install fetches them with npm)")
    validator = Validator("docs-test", docs_dir=tmp_path / "docs", assets_dir=DOCS_ASSETS)
    validator.validate(audit_suite("audit_footings"), with_audit_pairs(footing_frame()))
    index = validator.build_docs()
    assert index == tmp_path / "docs" / "index.html"
    shot = tmp_path / "index.png"
    dom = render_page(index, screenshot=shot)
    # bootstrap-table drew the validation list: it only does when its scripts loaded.
    assert "Showing 1 to 1 of 1 rows" in dom
    assert "audit_footings" in dom
    assert shot.stat().st_size > 10_000
    page = next((tmp_path / "docs" / "validations" / "audit_footings").rglob("*.html"))
    detail = render_page(page)
    assert "Unsuccessful Expectations" in detail
    assert "observed" in detail
