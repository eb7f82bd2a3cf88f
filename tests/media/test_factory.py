import pytest

from media import LocalStorage, S3Storage, build_storage


def test_builds_local_storage_from_settings(tmp_path):
    storage = build_storage(
        "local",
        root=tmp_path,
        secret="s",
        upload_base_url="http://h/u",
        download_base_url="http://h/d",
    )

    assert isinstance(storage, LocalStorage)


def test_builds_s3_storage_from_settings(s3_endpoint, s3_bucket):
    storage = build_storage("s3", bucket=s3_bucket, endpoint_url=s3_endpoint, region="eu-west-1")

    assert isinstance(storage, S3Storage)
    assert storage.size("cases/none/original") is None


def test_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown storage kind 'ftp'"):
        build_storage("ftp")
