"""Integrity of the stored files (quality.md, Uploads): the SHA-256 taken on receipt, taken again.

The hashing, below the services: downloads (``portal/downloads.py``) and the dossier export re-check the
one file they are about to use with ``stored_sha256`` / ``file_sha256``. The daily check of every stored
document, which raises the alarm through the services, is ``disputes.services.integrity``.
Files are read in 1 MiB chunks, so memory does not grow with their size.
"""

import hashlib

from .models import Document

CHUNK_SIZE = 1024 * 1024


def _hash_stream(handle) -> tuple[str, int]:
    """(SHA-256, bytes) of an open binary file, read in 1 MiB chunks: memory stays flat."""
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: handle.read(CHUNK_SIZE), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def file_sha256(path) -> tuple[str, int]:
    """(SHA-256, size) of a local file, e.g. a dossier just built."""
    with open(path, "rb") as handle:
        return _hash_stream(handle)


def _hash_field_file(field_file) -> tuple[str | None, int]:
    """(SHA-256 of a stored file, bytes read); the hash is None when the file cannot be read."""
    try:
        with field_file.storage.open(field_file.name, "rb") as handle:
            return _hash_stream(handle)
    except (OSError, ValueError):
        return None, 0


def _hash_stored_file(document: Document) -> tuple[str | None, int]:
    """(SHA-256 of the document's stored file, bytes read); the hash is None when it cannot be read."""
    return _hash_field_file(document.file)


def stored_file_sha256(field_file) -> str | None:
    """The SHA-256 of any stored file (a ``FieldFile``, e.g. a dossier export's PDF), or None when it
    cannot be read."""
    return _hash_field_file(field_file)[0] if field_file else None


def stored_sha256(document: Document) -> str | None:
    """The SHA-256 of the stored file, or None when it cannot be read."""
    return _hash_stored_file(document)[0]
