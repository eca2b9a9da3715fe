"""What a practice may carry as attachments: PDF documents and images, checked by size and by content.

The type is read from the file's first bytes, not trusted from its name or the browser's claim.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from cityexchange.core.errors import InvalidInput

MAX_BYTES: int = getattr(settings, "PRACTICE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
MAX_PER_PRACTICE = 20

# (kind, content type, extension, magic bytes at offset 0, extra marker at offset 8)
_SIGNATURES: list[tuple[str, str, str, bytes, bytes]] = [
    ("pdf", "application/pdf", ".pdf", b"%PDF-", b""),
    ("image", "image/png", ".png", b"\x89PNG\r\n\x1a\n", b""),
    ("image", "image/jpeg", ".jpg", b"\xff\xd8\xff", b""),
    ("image", "image/gif", ".gif", b"GIF8", b""),
    ("image", "image/webp", ".webp", b"RIFF", b"WEBP"),
]
ALLOWED_EXTENSIONS = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp"}


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    kind: str
    content_type: str
    extension: str
    size: int


def safe_name(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).strip() or "file"
    base = re.sub(r"[\x00-\x1f<>:\"/\\|?*]", "_", base)
    return base[-200:]


def check_upload(upload: UploadedFile) -> CheckedUpload:
    size = upload.size or 0
    if size == 0:
        raise InvalidInput(_("The file is empty."), field="file")
    if size > MAX_BYTES:
        raise InvalidInput(
            _("The file is too large (%(mb)d MB at most).") % {"mb": MAX_BYTES // (1024 * 1024)}, field="file"
        )
    name = safe_name(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise InvalidInput(_("Only PDF documents and images (PNG, JPEG, GIF, WebP) can be attached."), field="file")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, content_type, ext, magic, marker in _SIGNATURES:
        if head.startswith(magic) and (not marker or head[8:12] == marker):
            if (ext == ".jpg") != (extension in {".jpg", ".jpeg"}) or (ext != ".jpg" and ext != extension):
                break
            return CheckedUpload(name, kind, content_type, ext, size)
    raise InvalidInput(_("The file's content does not match its type (PDF or image expected)."), field="file")
