"""The annual report builds as a valid PDF whose text holds names in Cyrillic, Chinese, Arabic and Devanagari."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from cityexchange.core.errors import InvalidInput
from cityexchange.insights import fonts, report
from tests.insights.coop import cooperation
from tests.insights.factories import PracticeFactory
from tests.registry.factories import MemberCityFactory

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year


@pytest.fixture
def multiscript(kazan):
    nn = MemberCityFactory(name="Нижний Новгород", country_id="RU", population=1_200_000)
    shanghai = MemberCityFactory(name="上海", country_id="CN", population=24_000_000, latitude=31.2, longitude=121.5)
    isfahan = MemberCityFactory(name="اصفهان", country_id="IR", population=2_000_000, latitude=32.6, longitude=51.7)
    pune = MemberCityFactory(name="पुणे", country_id="IN", population=3_100_000, latitude=18.5, longitude=73.9)
    for city, lang in ((nn, "ru"), (shanghai, "zh"), (isfahan, "fa"), (pune, "hi"), (kazan, "ar")):
        PracticeFactory(city=city, language_id=lang, sectors=["water"])
    cooperation(kazan, shanghai, stage="agreement", signed_on=dt.date(YEAR, 1, 10))
    return {"nn": nn, "shanghai": shanghai, "isfahan": isfahan, "pune": pune}


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    # Arabic may come out in presentation forms: fold them back to the letters for comparison.
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() or "" for page in reader.pages))


def test_pdf_is_valid_and_holds_every_script(multiscript):
    built = report.build_report(YEAR, "pdf")
    assert built.content.startswith(b"%PDF-") and built.content_type == "application/pdf"
    text = _text(built.content)
    assert "Нижний Новгород" in text  # Cyrillic, in the isolated members
    assert "上海" in text  # Chinese, in the network tables
    assert "Русский" in text and "中文" in text  # language names in the languages figure
    arabic = [w for w in ("اصفهان", "نهافصا") if w in text]  # logical or visual order, depending on the extractor
    assert arabic, "the Persian city name is missing from the PDF text"
    assert "पुणे" in text or "पु" in text


def test_pdf_embeds_the_noto_fonts(multiscript):
    reader = PdfReader(io.BytesIO(report.build_report(YEAR, "pdf").content))
    embedded: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or (
                font["/DescendantFonts"][0].get_object().get("/FontDescriptor") if "/DescendantFonts" in font else None
            )
            if descriptor is not None:
                descriptor = descriptor.get_object()
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    # "/ABCDEF+Noto-Sans-CJK-SC-Bold" → "NotoSansCJKSC" (subset prefix, style and hyphens off)
                    name = str(font.get("/BaseFont")).split("+")[-1].replace("-Bold", "").replace("-", "")
                    embedded.add(name)
    if not fonts.missing_fonts():
        assert {"NotoSans", "NotoSansCJKSC", "NotoSansArabic", "NotoSansDevanagari"} <= embedded, embedded


def test_report_names_a_missing_font(multiscript, monkeypatch):
    monkeypatch.setattr(fonts, "installed_families", lambda: frozenset({"Noto Sans"}))
    html = report.build_report(YEAR, "html").content.decode()
    assert 'data-missing-font="Noto Sans CJK SC"' in html
    assert "Missing font: Noto Sans Arabic is not installed" in html
    assert 'data-missing-font="Noto Sans"' not in html


def test_report_html_in_arabic_is_rtl(multiscript):
    from django.utils import translation

    with translation.override("ar"):
        html = report.build_report(YEAR, "html").content.decode()
    assert 'dir="rtl"' in html and "اصفهان" in html


def test_report_refuses_bad_input():
    with pytest.raises(InvalidInput):
        report.build_report("20x6", "pdf")
    with pytest.raises(InvalidInput):
        report.build_report(YEAR, "docx")


def test_command_writes_the_pdf(multiscript, tmp_path: Path):
    out = tmp_path / "report.pdf"
    call_command("report", "--year", str(YEAR), "--format", "pdf", "--output", str(out))
    assert out.read_bytes().startswith(b"%PDF-")
    assert "上海" in _text(out.read_bytes())
    with pytest.raises(CommandError):
        call_command("report", "--year", "1000", "--format", "html", "--output", str(tmp_path / "r.html"))
    with pytest.raises(CommandError):
        call_command("report", "--format", "pdf")
