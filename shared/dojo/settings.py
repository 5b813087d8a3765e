"""Configuration from `DOJO_*` environment variables (or `.env`), one object per process."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dojo import secrets
from dojo.observability import logger

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Every setting of the product. Secrets are `SecretStr` so they never print."""

    model_config = SettingsConfigDict(env_prefix="DOJO_", env_file=".env", extra="ignore")

    environment: Literal["local", "test", "production"] = "local"
    # the functions' JSON logs (template.yaml: LogLevel); case does not matter
    log_level: LogLevel = "INFO"

    # database
    database_url: SecretStr = SecretStr("")
    db_pool_max: int = Field(default=4, ge=1, le=64)
    db_connect_timeout: float = 5.0
    db_statement_timeout_ms: int = 15_000

    # auth: Supabase access tokens
    supabase_url: str = ""
    jwt_issuer: str = ""
    jwt_audience: str = "authenticated"
    jwks_url: str = ""
    jwt_secret: SecretStr = SecretStr("")  # legacy HS256, only when configured
    jwks_cache_seconds: int = 600
    jwt_leeway_seconds: int = 30

    # internal hooks (Supabase triggers -> functions)
    hook_secret: SecretStr = SecretStr("")

    # providers
    llm_provider: Literal["offline", "openai"] = "offline"
    embeddings_provider: Literal["offline", "openai"] = "offline"
    storage_provider: Literal["local", "supabase"] = "local"
    auth_admin_provider: Literal["local", "supabase"] = "local"
    invite_redirect_url: str = ""
    openai_api_key: SecretStr = SecretStr("")
    openai_base_url: str = "https://api.openai.com/v1"
    openai_timeout_seconds: float = 30.0
    openai_max_retries: int = Field(default=3, ge=0, le=8)
    # embeddings' backoff between retries: exponential from this, with full jitter, capped
    openai_retry_wait_seconds: float = Field(default=0.5, ge=0, le=10)
    openai_retry_wait_max_seconds: float = Field(default=8.0, ge=0, le=60)
    llm_model: str = "gpt-4o"
    llm_temperature: float = Field(default=0.7, ge=0, le=2)
    embedding_model: str = "text-embedding-3-small"
    embedding_dimensions: int = 1536
    supabase_service_key: SecretStr = SecretStr("")
    storage_bucket: str = "documents"
    recordings_bucket: str = "recordings"

    # personas: generation model and context, and the voices a persona may speak with
    personas_model: str = ""  # empty: llm_model
    personas_temperature: float = Field(default=0.9, ge=0, le=2)
    personas_context_tokens: int = Field(default=6000, ge=500, le=60_000)
    personas_max_output_tokens: int = Field(default=12_000, ge=1000, le=32_000)
    # seconds per model call when a generation job runs (the function URL has no 30 s cap)
    personas_timeout_seconds: float = Field(default=120.0, gt=0, le=600)
    # ElevenLabs voice ids as "id:f" / "id:m" (female/male), comma separated; the defaults are
    # ElevenLabs' premade multilingual voices (they speak pt-BR with the multilingual models)
    persona_voices: str = (
        "EXAVITQu4vr4xnSDxMaL:f,XrExE9yKIg1WjnnlVkGX:f,cgSgspJ2msm6clMCkdW9:f,"
        "pFZP5JQG7iQjIQuC4Bku:f,onwK4e9ZLuTAKqWW03F9:m,TX3LPaxmHKxFdv7VOQHJ:m,"
        "nPczCjzI2devNBz1zQrb:m,pNInz6obpgDQGcFmaJgB:m"
    )

    # grading: the rubric version new sessions freeze, the judge model and its sampling
    rubric_version: str = "2026-11-v1"
    grading_model: str = ""  # empty: the general `llm_model`
    grading_samples: int = Field(default=1, ge=1, le=9)

    # onboarding: uploads, extraction, chunking and the sweeper
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    max_pages: int = Field(default=500, ge=1)
    max_unzipped_bytes: int = Field(default=100 * 1024 * 1024, ge=1)
    chunk_size: int = Field(default=1000, ge=200, le=8000)
    chunk_overlap: int = Field(default=150, ge=0, le=1000)
    upload_url_seconds: int = Field(default=7200, ge=60)

    # training sessions: limits of a text roleplay
    session_max_message_chars: int = Field(default=1000, ge=50, le=10_000)
    session_max_turns: int = Field(default=40, ge=2, le=500)  # salesperson turns per session
    session_max_seconds: int = Field(default=600, ge=60, le=7200)
    session_tool_rounds: int = Field(default=3, ge=1, le=8)  # knowledge-base lookups per reply
    session_reply_max_tokens: int = Field(default=250, ge=50, le=2000)
    # a text turn (all its model calls) must answer within API Gateway's 30 s
    session_turn_budget_seconds: float = Field(default=22.0, ge=2, le=28)

    # Work the sweepers run again (a schedule in production, `dojo sweep` locally): pg_net delivers
    # a hook at most once and a worker can die. Per kind of work, `<flow>_pending_seconds` is how
    # long its hook may take to claim it before the sweeper dispatches it again,
    # `<flow>_stale_seconds` how long a claimed run may stay silent before it counts as dead (well
    # above the function's timeout), and `<flow>_max_attempts` how many runs it gets in all.
    onboarding_pending_seconds: int = Field(default=120, ge=0)
    onboarding_stale_seconds: int = Field(default=900, ge=30)
    # passing failures also wait 30 s x 2^attempts (at most an hour) before the next run
    onboarding_max_attempts: int = Field(default=5, ge=1, le=20)
    personas_pending_seconds: int = Field(default=120, ge=0)
    personas_stale_seconds: int = Field(default=600, ge=30)
    personas_max_attempts: int = Field(default=3, ge=1, le=20)
    grading_pending_seconds: int = Field(default=300, ge=0)  # a regrade's hook
    grading_stale_seconds: int = Field(default=600, ge=30)  # a session's grading lease
    grading_max_attempts: int = Field(default=5, ge=1, le=50)  # a session's grading, a regrade
    # a voice call's end-of-call report: past the grace the sweeper asks Vapi for the call on each
    # run; past the give-up the session ends without a transcript
    session_report_grace_seconds: int = Field(default=600, ge=60)
    session_report_give_up_seconds: int = Field(default=4 * 3600, ge=600)
    # call recordings: copied from Vapi into our bucket (tries per copy, copies per session, how
    # long a failed copy waits for the sweeper), read through signed URLs, kept for a while
    recording_copy_tries: int = Field(default=3, ge=1, le=8)
    recording_copy_wait_seconds: float = Field(default=0.5, ge=0, le=10)
    recording_copy_max_attempts: int = Field(default=5, ge=1, le=20)
    recording_copy_stale_seconds: int = Field(default=300, ge=0)
    recording_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    recording_max_bytes: int = Field(default=200 * 1024 * 1024, ge=1024)
    recording_url_seconds: int = Field(default=900, ge=60, le=86_400)
    recording_retention_days: int = Field(default=90, ge=1, le=3650)  # unless the company says

    # Vapi: REST calls (private key, server side only), the browser's public key, and how Vapi's
    # server messages authenticate ("hmac" needs a Vapi credential; "bearer" may use headers)
    vapi_private_key: SecretStr = SecretStr("")
    vapi_public_key: str = ""
    vapi_base_url: str = "https://api.vapi.ai"
    vapi_timeout_seconds: float = Field(default=8.0, gt=0, le=25)
    vapi_max_retries: int = Field(default=3, ge=0, le=6)
    vapi_retry_wait_seconds: float = Field(default=0.5, ge=0, le=10)
    # no new attempt after this long: a request must fit the function's 29 s limit
    vapi_deadline_seconds: float = Field(default=15.0, gt=0, le=25)
    vapi_webhook_secret: SecretStr = SecretStr("")
    vapi_auth_mode: Literal["hmac", "bearer"] = "hmac"
    vapi_credential_id: str = ""
    vapi_hmac_signature_header: str = "x-signature"
    vapi_hmac_timestamp_header: str = "x-timestamp"
    vapi_hmac_tolerance_seconds: int = Field(default=300, ge=5, le=3600)
    vapi_bearer_header: str = "authorization"
    vapi_model: str = "gpt-4o"
    vapi_voice_model: str = "eleven_multilingual_v2"
    vapi_transcriber_model: str = "nova-2"
    vapi_max_duration_seconds: int = Field(default=600, ge=10, le=43_200)
    vapi_tool_timeout_seconds: int = Field(default=10, ge=1, le=300)
    vapi_tool_top_k: int = Field(default=4, ge=1, le=10)
    vapi_tool_result_chars: int = Field(default=1500, ge=200, le=8000)
    webhooks_url: str = ""  # empty: public_url + /api/v1/webhooks/vapi

    # Email (notifications): SMTP (locally `dojo dev`'s own SMTP server; in production any relay,
    # Amazon SES's SMTP interface included) or Amazon SES's API (sesv2, the function's IAM role)
    email_provider: Literal["smtp", "ses"] = "smtp"
    email_from: str = "Sales AI Dojo <no-reply@dojo.local>"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=2525, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    ses_region: str = ""  # empty: the function's own region (AWS_REGION)
    ses_configuration_set: str = ""
    # the scheduled notifications pass: emails per run, sends per email, how long a send may take
    email_batch: int = Field(default=50, ge=1, le=500)
    email_max_attempts: int = Field(default=5, ge=1, le=20)
    email_lease_seconds: int = Field(default=300, ge=30, le=3600)
    # the weekly manager digest goes out from this hour (UTC) of each ISO week's Monday on
    digest_hour_utc: int = Field(default=11, ge=0, le=23)
    # where links in emails point (the web app); empty: public_url
    web_url: str = ""

    # local runtime
    data_dir: str = ".dojo"
    public_url: str = "http://127.0.0.1:8000"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def is_local(self) -> bool:
        """True when running on the embedded database and local stand-ins."""
        return self.environment != "production"

    @property
    def active_embedding_model(self) -> str:
        """The model name recorded on every chunk; retrieval reads only rows of this model."""
        if self.embeddings_provider == "offline":
            return f"offline-ngram-{self.embedding_dimensions}"
        return self.embedding_model


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache when they change the env).

    Secrets named by `DOJO_<NAME>_SSM` / `DOJO_<NAME>_SECRET_ID` are read from SSM or Secrets
    Manager (see dojo.secrets) and win over `DOJO_<NAME>`.
    """
    overrides: dict[str, Any] = secrets.load()  # SecretStr fields, from their stores
    settings = Settings(**overrides)
    logger.setLevel(settings.log_level)  # the log level is a setting like any other (.env too)
    return settings
