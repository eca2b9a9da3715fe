from __future__ import annotations

from typing import Any

import pytest

from cityexchange.practices import services
from tests.practices.factories import practice_doc


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(kazan: Any, kazan_officer: Any) -> Any:
    return services.practice_create(actor=kazan_officer, city=kazan, data=practice_doc())


@pytest.fixture
def published(kazan: Any, kazan_officer: Any, secretariat: Any) -> Any:
    p = services.practice_create(actor=kazan_officer, city=kazan, data=practice_doc(title="Published one"))
    services.practice_submit(actor=kazan_officer, practice=p)
    return services.practice_publish(actor=secretariat, practice=p)
