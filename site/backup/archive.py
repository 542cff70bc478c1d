"""The archive: one tar holding the database dump, every file of the default storage
(uploads) under media/ and of the private storage (statement PDFs) under private/, and
manifest.json with each member's SHA-256."""

import hashlib
import io
import json
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.core.files.storage import Storage, storages

from .errors import BackupError

DUMP = "database.dump"
MANIFEST = "manifest.json"
MEDIA = "media/"
PRIVATE = "private/"
# The storages backed up, by the folder their files have in the archive.
STORED = {MEDIA: "default", PRIVATE: "private"}
FORMAT_VERSION = 1
CHUNK = 1024 * 1024


class HashingReader:
    """Reads through to a file while hashing what passes, for tarfile.addfile."""

    def __init__(self, raw: BinaryIO):
        self.raw, self.sha256 = raw, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        return data


def add_stream(tar: tarfile.TarFile, name: str, raw: BinaryIO, size: int) -> str:
    """Add one member; return its SHA-256."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime = size, int(time.time())
    reader = HashingReader(raw)
    tar.addfile(info, reader)
    return reader.sha256.hexdigest()


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in `storage`, by its storage name."""
    if not folder and not storage.exists(""):
        return  # a site where nothing has been stored yet has no folder
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}{name}"
    for sub in sorted(folders):
        yield from stored_names(storage, f"{folder}{sub}/")


def add_stored_files(tar: tarfile.TarFile) -> dict[str, str]:
    checksums = {}
    for prefix, alias in STORED.items():
        storage = storages[alias]
        for name in stored_names(storage):
            with storage.open(name, "rb") as raw:
                checksums[prefix + name] = add_stream(tar, prefix + name, raw, storage.size(name))
    return checksums


def add_manifest(tar: tarfile.TarFile, manifest: dict) -> None:
    data = json.dumps(manifest, indent=2, sort_keys=True).encode()
    add_stream(tar, MANIFEST, io.BytesIO(data), len(data))


def write_archive(path: Path, dump: Path, about: dict) -> None:
    """The dump, then the stored files, then the manifest: `about` plus every checksum."""
    with tarfile.open(path, "w") as tar:
        with dump.open("rb") as raw:
            files = {DUMP: add_stream(tar, DUMP, raw, dump.stat().st_size)}
        files.update(add_stored_files(tar))
        add_manifest(tar, {**about, "format_version": FORMAT_VERSION, "files": files})


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupError(f"The archive has no readable {MANIFEST}: {error}") from error
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Unknown archive format {manifest.get('format_version')!r}.")
    return manifest


def is_stored_file(member: str) -> bool:
    return member.startswith(tuple(STORED))


def stored_name(member: str) -> tuple[Storage, str]:
    """The storage and storage name of a stored file's member; refuses names that climb out
    of their storage's folder."""
    prefix = next(prefix for prefix in STORED if member.startswith(prefix))
    name = member.removeprefix(prefix)
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not name:
        raise BackupError(f"The archive holds a file outside the {prefix} folder: {member!r}.")
    return storages[STORED[prefix]], name


def member_sha256(tar: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    digest = hashlib.sha256()
    source = tar.extractfile(member)
    while chunk := source.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def verify(tar: tarfile.TarFile, manifest: dict) -> None:
    """Every member is a plain file the manifest lists, with the checksum it lists."""
    expected = dict(manifest["files"])
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        if not member.isfile() or member.name not in expected:
            raise BackupError(f"The archive holds {member.name!r}, which its manifest lacks.")
        if is_stored_file(member.name):
            stored_name(member.name)
        if member_sha256(tar, member) != expected.pop(member.name):
            raise BackupError(f"{member.name} does not match its checksum: the archive is damaged.")
    if expected:
        raise BackupError(f"The archive lacks {', '.join(sorted(expected))}.")
