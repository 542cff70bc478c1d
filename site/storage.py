"""Where uploads, generated statements and other private files are stored, read from the
environment.

Two storages. `default` holds uploads (images, documents) under MEDIA_ROOT, which the web
server publishes at /media/. `private` holds files only a permission-checked view may hand
out (statements today; anything finance or personal tomorrow): under PRIVATE_ROOT, a folder
outside MEDIA_ROOT and STATIC_ROOT that no URL maps to (the settings refuse one inside
them). labitory.private_files serves them.

With several hosts, set STORAGE_S3_BUCKET to keep both in S3-compatible object storage (AWS
S3, MinIO, Ceph, a university's own) through django-storages:

    STORAGE_S3_BUCKET=labitory-media           the bucket (private: nothing is public)
    STORAGE_S3_ENDPOINT_URL=https://s3.example.ac.uk   empty for AWS itself
    STORAGE_S3_REGION=eu-west-2
    STORAGE_S3_PREFIX=media                     uploads' folder inside the bucket
    STORAGE_S3_PRIVATE_BUCKET=                  private files' bucket (empty: the same one)
    STORAGE_S3_PRIVATE_PREFIX=private           private files' folder inside that bucket
    AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY  credentials, as boto3 reads them (or a role)

Uploads are private too: every link is signed and expires (STORAGE_S3_URL_SECONDS, an hour),
and Wagtail redirects to a signed link only after checking a document's permissions.
Private files get no link at all: the download view streams them after its access check.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from labitory.env import env_int, env_str

S3_BACKEND = "storages.backends.s3.S3Storage"
PRIVATE_FILE_SYSTEM_BACKEND = "labitory.private_files.PrivateFileSystemStorage"
PRIVATE_S3_BACKEND = "labitory.private_files.PrivateS3Storage"


def s3_options(bucket: str) -> dict:
    """What every S3 storage of the site shares: where the service is, signed links only."""
    return {
        "bucket_name": bucket,
        "endpoint_url": env_str("STORAGE_S3_ENDPOINT_URL") or None,
        "region_name": env_str("STORAGE_S3_REGION") or None,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": env_int("STORAGE_S3_URL_SECONDS", 3600),
        # A second upload with the same name gets a new name, as on disk.
        "file_overwrite": False,
    }


def default_storage_from_env() -> dict:
    """STORAGES["default"]: the file system, or S3 when STORAGE_S3_BUCKET is set."""
    bucket = env_str("STORAGE_S3_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {**s3_options(bucket), "location": env_str("STORAGE_S3_PREFIX", "media")},
    }


def private_storage_from_env() -> dict:
    """STORAGES["private"]: PRIVATE_ROOT on disk, or a private prefix (or bucket of its own)
    when STORAGE_S3_BUCKET is set. Neither has a URL."""
    bucket = env_str("STORAGE_S3_PRIVATE_BUCKET") or env_str("STORAGE_S3_BUCKET")
    if not bucket:
        return {"BACKEND": PRIVATE_FILE_SYSTEM_BACKEND}
    options = {
        **s3_options(bucket),
        "location": env_str("STORAGE_S3_PRIVATE_PREFIX", "private"),
        # Objects are written private whatever the bucket's default, and never public.
        "default_acl": "private",
        "custom_domain": None,
    }
    return {"BACKEND": PRIVATE_S3_BACKEND, "OPTIONS": options}


def private_root_from_env(default: Path, *, public: list[Path]) -> Path:
    """PRIVATE_ROOT: a folder no URL maps to, so it must not lie inside a published one."""
    root = Path(env_str("PRIVATE_ROOT") or default).absolute()
    for folder in public:
        if root.is_relative_to(Path(folder).absolute()):
            raise ImproperlyConfigured(
                f"PRIVATE_ROOT={root} lies inside {folder}, which the web server publishes; "
                "keep private files in a folder of their own."
            )
    return root


def private_storage():
    """The private storage, for a FileField's `storage` (a callable, so that a migration names
    this function, not a folder, and tests may move PRIVATE_ROOT)."""
    from django.core.files.storage import storages

    return storages["private"]
