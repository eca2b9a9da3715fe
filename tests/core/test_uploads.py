"""Uploads are refused at the size limit while they stream in (the review's 50 MB upload was read whole first),
with a clear answer: JSON 413 on the API, a page elsewhere."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import Client

from cityexchange.accounts.services import api_token_create
from cityexchange.core.uploads import LimitedUploadHandler, UploadTooLarge
from cityexchange.practices.models import Practice
from tests.practices.factories import PracticeFactory

BOUNDARY = "cx-boundary"
PDF = b"%PDF-1.4\n" + b"0" * 64


def multipart(size: int) -> bytes:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    return head + PDF + b"0" * (size - len(PDF)) + f"\r\n--{BOUNDARY}--\r\n".encode()


class CountingStream(io.BytesIO):
    """The request body as the server reads it, counting what was read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.read_bytes = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.read_bytes += len(chunk)
        return chunk


def test_the_parser_stops_reading_at_the_file_limit(settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    body = multipart(20 * 1024 * 1024)
    stream = CountingStream(body)
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": str(len(body))}
    handlers = [MemoryFileUploadHandler(), LimitedUploadHandler()]
    with pytest.raises(UploadTooLarge):
        MultiPartParser(meta, stream, handlers).parse()
    # A little past the limit (the parser reads in 64 KB chunks), nowhere near the 20 MB sent.
    assert stream.read_bytes < 2 * 1024 * 1024


@pytest.fixture
def practice(kazan: Any) -> Practice:
    return PracticeFactory(city=kazan, status=Practice.Status.DRAFT)


@pytest.mark.django_db
def test_api_upload_over_the_limit_is_json_413(practice: Practice, kazan_coordinator: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 256 * 1024
    token = api_token_create(actor=kazan_coordinator, name="up")[1]
    body = multipart(3 * 1024 * 1024)
    response = Client().generic(
        "POST",
        f"/api/v1/practices/{practice.pk}/attachments",
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "too large" in response.json()["detail"]
    assert not practice.attachments.exists()


@pytest.mark.django_db
def test_declared_too_large_body_is_refused_before_reading(reference: None) -> None:
    response = Client().generic(
        "POST", "/api/v1/accounts/tokens", b"{}", content_type="application/json", CONTENT_LENGTH=str(2**40)
    )
    assert response.status_code == 413
    assert response.json()["field"] is None


@pytest.mark.django_db
def test_page_upload_over_the_limit_is_a_413_page(practice: Practice, kazan_coordinator: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 256 * 1024
    client = Client()
    client.force_login(kazan_coordinator)
    body = multipart(3 * 1024 * 1024)
    response = client.generic(
        "POST",
        f"/en/practices/{practice.pk}/attachments/",
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert not practice.attachments.exists()


@pytest.mark.django_db
def test_upload_within_the_limit_still_works(practice: Practice, kazan_coordinator: Any) -> None:
    token = api_token_create(actor=kazan_coordinator, name="up")[1]
    body = multipart(200 * 1024)
    response = Client().generic(
        "POST",
        f"/api/v1/practices/{practice.pk}/attachments",
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    assert practice.attachments.count() == 1
