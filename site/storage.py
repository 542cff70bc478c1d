"""Where uploads and generated statements are stored, read from the environment.

By default they are files under MEDIA_ROOT, which is right for one web host. With several
hosts, set STORAGE_S3_BUCKET to keep them in S3-compatible object storage (AWS S3, MinIO,
Ceph, a university's own) through django-storages:

    STORAGE_S3_BUCKET=labitory-media           the bucket (private: nothing is public)
    STORAGE_S3_ENDPOINT_URL=https://s3.example.ac.uk   empty for AWS itself
    STORAGE_S3_REGION=eu-west-2
    STORAGE_S3_PREFIX=media                     a folder inside the bucket
    AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY  credentials, as boto3 reads them (or a role)

Files are private: every link is signed and expires (STORAGE_S3_URL_SECONDS, an hour),
statements are streamed by the download view after its access check, and Wagtail
redirects to a signed link only after checking a document's permissions.
"""

from labitory.env import env_int, env_str

S3_BACKEND = "storages.backends.s3.S3Storage"


def default_storage_from_env() -> dict:
    """STORAGES["default"]: the file system, or S3 when STORAGE_S3_BUCKET is set."""
    bucket = env_str("STORAGE_S3_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("STORAGE_S3_ENDPOINT_URL") or None,
            "region_name": env_str("STORAGE_S3_REGION") or None,
            "location": env_str("STORAGE_S3_PREFIX", "media"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("STORAGE_S3_URL_SECONDS", 3600),
            # A second upload with the same name gets a new name, as on disk.
            "file_overwrite": False,
        },
    }
