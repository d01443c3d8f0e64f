"""The S3 bucket integration tests use, and small helpers to look into it."""

from __future__ import annotations

from typing import Any

BUCKET = "aloft-test"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def s3_client(url: str) -> Any:
    """A boto3 client for the endpoint at ``url``."""
    import boto3

    return boto3.client("s3", endpoint_url=url, region_name="us-east-1")


def keys(endpoint: str, prefix: str) -> list[str]:
    """The object keys under ``prefix`` in the test bucket."""
    listed = s3_client(endpoint).list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in listed.get("Contents", []))
