"""Photo bytes in an S3 bucket (or any S3-compatible store); phones upload to it directly."""

from datetime import UTC, datetime, timedelta

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from media.storage import (
    DEFAULT_DOWNLOAD_EXPIRES_IN,
    DEFAULT_UPLOAD_EXPIRES_IN,
    ObjectNotFound,
    UploadTarget,
    check_key,
)

_MISSING = {"404", "NoSuchKey", "NotFound"}


class S3Storage:
    """One bucket; credentials come from boto3's usual chain (env, profile, instance role)."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
    ) -> None:
        self._bucket = bucket
        # SigV4 everywhere: newer regions and MinIO refuse the legacy presigned signature.
        self._client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            config=Config(signature_version="s3v4"),
        )

    def upload_target(
        self,
        key: str,
        *,
        max_bytes: int,
        content_type: str,
        expires_in: int = DEFAULT_UPLOAD_EXPIRES_IN,
    ) -> UploadTarget:
        """A presigned POST whose policy pins the key, the size range and the Content-Type.

        POST rather than a presigned PUT because only a POST policy can bound the size.
        """
        expires_at = datetime.now(UTC) + timedelta(seconds=expires_in)
        post = self._client.generate_presigned_post(
            Bucket=self._bucket,
            Key=check_key(key),
            Fields={"Content-Type": content_type},
            Conditions=[
                {"Content-Type": content_type},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=expires_in,
        )
        return UploadTarget(
            method="POST", url=post["url"], fields=post["fields"], headers={}, expires_at=expires_at
        )

    def size(self, key: str) -> int | None:
        try:
            head = self._client.head_object(Bucket=self._bucket, Key=check_key(key))
        except ClientError as exc:
            if _is_missing(exc):
                return None
            raise
        return head["ContentLength"]

    def read(self, key: str) -> bytes:
        try:
            response = self._client.get_object(Bucket=self._bucket, Key=check_key(key))
        except ClientError as exc:
            if _is_missing(exc):
                raise ObjectNotFound(key) from exc
            raise
        return response["Body"].read()

    def write(self, key: str, data: bytes, content_type: str) -> None:
        self._client.put_object(
            Bucket=self._bucket, Key=check_key(key), Body=data, ContentType=content_type
        )

    def download_url(self, key: str, *, expires_in: int = DEFAULT_DOWNLOAD_EXPIRES_IN) -> str:
        return self._client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self._bucket, "Key": check_key(key)},
            ExpiresIn=expires_in,
        )

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self._bucket, Key=check_key(key))


def _is_missing(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") in _MISSING
