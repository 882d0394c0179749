"""Files learners hand in with project deliverables: checked, stored, served back.

A file is accepted only when its extension is allowed and its first bytes match that type
(a PDF starts with `%PDF-`, office documents are zip archives, text is UTF-8 without NUL…),
and only up to the size limit. It is stored in the instance folder (never under a web
root) under a random name the learner does not choose; the name it had is kept, cleaned,
for display and for the download's `Content-Disposition`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

UPLOAD_FOLDER = "project_files"

# extension: (content type, a check of the first bytes)
_ZIP = b"PK\x03\x04"
KNOWN_TYPES: dict[str, tuple[str, bytes | None]] = {
    "pdf": ("application/pdf", b"%PDF-"),
    "odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    "odp": ("application/vnd.oasis.opendocument.presentation", _ZIP),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "txt": ("text/plain; charset=utf-8", None),
    "md": ("text/markdown; charset=utf-8", None),
    "csv": ("text/csv; charset=utf-8", None),
}


class UploadRefused(Exception):
    """The file cannot be accepted; `key` names the message for the learner."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class CheckedFile:
    """An accepted file, ready to be stored."""

    original_name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def allowed_types(setting: str) -> list[str]:
    """The extensions of the `upload_types` setting, in order, without duplicates."""
    seen: list[str] = []
    for part in setting.split(","):
        ext = part.strip().lower().lstrip(".")
        if ext and ext not in seen:
            seen.append(ext)
    return seen


def clean_name(name: str) -> str:
    """A file name safe to show and to offer on download: no folders, no control characters."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip().strip(".")
    return name[:200] or "fichier"


def check_file(name: str, data: bytes, allowed: list[str], max_bytes: int) -> CheckedFile:
    """Accept the file or raise UploadRefused saying why."""
    cleaned = clean_name(name)
    ext = cleaned.rsplit(".", 1)[-1].lower() if "." in cleaned else ""
    if ext not in allowed or ext not in KNOWN_TYPES:
        raise UploadRefused("upload_type", types=", ".join(allowed))
    if not data:
        raise UploadRefused("upload_empty")
    if len(data) > max_bytes:
        raise UploadRefused("upload_size", max=max_bytes // 1024)
    content_type, magic = KNOWN_TYPES[ext]
    if magic is not None:
        if not data.startswith(magic):
            raise UploadRefused("upload_content", ext=ext)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UploadRefused("upload_content", ext=ext) from None
        if "\x00" in text:
            raise UploadRefused("upload_content", ext=ext)
    return CheckedFile(cleaned, content_type, data)


def folder(instance: Path) -> Path:
    path = instance / UPLOAD_FOLDER
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def store(instance: Path, checked: CheckedFile) -> str:
    """Write the file under a new random name (0600) and return that name."""
    stored_name = secrets.token_hex(20)
    path = folder(instance) / stored_name
    with path.open("xb") as handle:
        handle.write(checked.data)
    path.chmod(0o600)
    return stored_name


def stored_path(instance: Path, stored_name: str) -> Path:
    """Where a stored file is; only names this module made are accepted."""
    if not re.fullmatch(r"[0-9a-f]{40}", stored_name):
        raise ValueError("not a stored file name")
    return folder(instance) / stored_name


def remove(instance: Path, stored_name: str) -> None:
    stored_path(instance, stored_name).unlink(missing_ok=True)
