"""Production storage through supabase-py's storage client, against respx in Storage's shapes
(reference/supabase.md §3.5), plus the local signed-upload token."""

from __future__ import annotations

import json

import httpx
import pytest

from dojo.errors import ServiceUnavailable, Unauthorized
from dojo.providers import storage
from dojo_local.offline.storage import LocalStorage, UploadGrant
from onboarding.documents import object_path

SUPABASE = "https://proj.supabase.test"
OBJECT = f"{SUPABASE}/storage/v1/object"
PATH = "11111111-1111-1111-1111-111111111111/22222222-2222-2222-2222-222222222222/kit.pdf"


@pytest.fixture
def bucket(mock_http, settings_env) -> storage.SupabaseStorage:
    settings_env(
        storage_provider="supabase", supabase_url=SUPABASE, supabase_service_key="service-key"
    )
    chosen = storage.get_storage()
    assert isinstance(chosen, storage.SupabaseStorage)
    return chosen


def test_upload_sends_the_file_with_the_service_key(bucket, mock_http) -> None:
    route = mock_http.post(f"{OBJECT}/documents/{PATH}").mock(
        return_value=httpx.Response(200, json={"Key": f"documents/{PATH}", "Id": "x"})
    )
    bucket.put(PATH, b"%PDF-1.7 data", "application/pdf")
    request = route.calls.last.request
    assert request.headers["authorization"] == "Bearer service-key"
    assert b"%PDF-1.7 data" in request.content


def test_download_and_missing_object(bucket, mock_http) -> None:
    mock_http.get(f"{OBJECT}/documents/{PATH}").mock(
        side_effect=[
            httpx.Response(200, content=b"bytes of the file"),
            httpx.Response(
                400, json={"statusCode": "404", "error": "not_found", "message": "Object not found"}
            ),
        ]
    )
    assert bucket.get(PATH) == b"bytes of the file"
    with pytest.raises(storage.ObjectMissing):
        bucket.get(PATH)


def test_remove_posts_the_prefixes(bucket, mock_http) -> None:
    route = mock_http.delete(f"{OBJECT}/documents").mock(
        return_value=httpx.Response(200, json=[{"name": PATH}])
    )
    bucket.remove(PATH)
    assert json.loads(route.calls.last.request.content) == {"prefixes": [PATH]}


def test_signed_upload_url(bucket, mock_http) -> None:
    mock_http.post(f"{OBJECT}/upload/sign/documents/{PATH}").mock(
        return_value=httpx.Response(
            200, json={"url": f"/object/upload/sign/documents/{PATH}?token=tok123"}
        )
    )
    signed = bucket.signed_upload(PATH, 1000)
    assert signed.token == "tok123"
    assert signed.url.startswith(f"{OBJECT}/upload/sign/documents/")
    assert signed.method == "PUT"
    # never upsert: the link can create the object once and cannot overwrite it
    assert "x-upsert" not in mock_http.calls.last.request.headers


def test_outage_is_service_unavailable(bucket, mock_http) -> None:
    mock_http.get(f"{OBJECT}/documents/{PATH}").mock(
        return_value=httpx.Response(
            503, json={"statusCode": "503", "error": "down", "message": "unavailable"}
        )
    )
    with pytest.raises(ServiceUnavailable):
        bucket.get(PATH)
    mock_http.post(f"{OBJECT}/documents/{PATH}").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(ServiceUnavailable):
        bucket.put(PATH, b"x", "text/plain")


def test_local_upload_tokens_expire_and_cannot_be_forged(tmp_path, settings_env) -> None:
    settings_env(upload_url_seconds=60)
    local = LocalStorage(tmp_path, "documents", "http://127.0.0.1:1", "secret")
    signed = local.signed_upload(PATH, 10)
    assert local.verify_upload_token(signed.token) == UploadGrant(PATH, 10)
    other = LocalStorage(tmp_path, "documents", "http://127.0.0.1:1", "other")
    with pytest.raises(Unauthorized):
        other.verify_upload_token(signed.token)
    with pytest.raises(Unauthorized):
        local.verify_upload_token("garbage")


def test_storage_keys_are_ascii_and_keep_the_tenant_layout() -> None:
    assert storage.safe_key("Apresentação Comercial (v2).pdf") == "Apresentacao_Comercial_v2_.pdf"
    assert storage.safe_key("../../etc/passwd") == "etc_passwd"
    assert object_path("c", "d", "ação.docx") == "c/d/acao.docx"
