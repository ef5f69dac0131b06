"""Settings from the environment (``DONDOC_*``) or a ``.env`` file, validated at start."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dondoc.engine.clock import LOCAL_TZ
from dondoc.engine.errors import ConfigError

DEFAULT_SECRET_KEY = "change-me"
DEMO_BASE_URL = "http://127.0.0.1:8000"  # links of a demonstration (DONDOC_DEMO=true) when no base URL is set


LINK_DAYS_MAX = 365  # how long a signed link may last: the setting and `links issue --days` alike


class Settings(BaseSettings):
    """Everything an operator can set. Read at the edges and passed in as values."""

    model_config = SettingsConfigDict(env_prefix="DONDOC_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/dondoc.db",
        description="SQLAlchemy URL; SQLite file by default, postgresql+psycopg://… in production",
    )
    timezone: str = LOCAL_TZ.key  # the one default zone (engine.clock); DONDOC_TIMEZONE overrides it
    base_url: str | None = Field(
        default=None, description="where links in mails and printed links point; unset: see links_base()"
    )
    secret_key: str = DEFAULT_SECRET_KEY
    demo: bool = False
    catalog_dir: Path | None = Field(default=None, description="override the packaged tasks_catalog/")
    catalog_local_dir: Path | None = Field(
        default=None,
        description="the installation's own writable catalog folder (its plans/*.yaml and successions.yaml), "
        "read with the shipped one",
    )
    policy_file: Path | None = Field(default=None, description="escalation policy YAML (default: the shipped one)")
    digest_working_days_only: bool = Field(
        default=True, description="no leader digest on a day off; its held rows wait for the next working day's"
    )
    max_body_mb: int = Field(
        default=25, ge=1, le=1024, description="a request body (all its files together) is cut off past this"
    )
    link_days: int = Field(default=30, ge=1, le=LINK_DAYS_MAX, description="how long a link in an email stays valid")

    smtp_host: str | None = Field(default=None, description="unset: mail goes to the mail drop folder")
    smtp_port: int = 587
    smtp_security: Literal["none", "starttls", "tls"] = "starttls"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout: float = 30.0
    mail_from: str = "Ban Chỉ đạo CĐS <dondoc@dondoc.example>"
    maildrop_dir: Path = Path("var/maildrop")
    attachments_dir: Path = Field(default=Path("var/attachments"), description="where agencies' report files are kept")
    reports_dir: Path = Field(default=Path("var/reports"), description="where periodic report workbooks are written")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"không có múi giờ {value!r} (ví dụ Asia/Ho_Chi_Minh)") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql")):
            raise ValueError(
                f"địa chỉ cơ sở dữ liệu {value!r} không dùng được: dùng sqlite:///TỆP hoặc postgresql+psycopg://…"
            )
        return value

    @field_validator("base_url")
    @classmethod
    def _an_address_people_open(cls, value: str | None) -> str | None:
        """``http(s)://host[:port]``, nothing after it: every link is this plus the app's own path
        (``/a/…``), so a value without a scheme, with a space or a path (``…/board``) made links in
        every mail that open nothing. An empty value is unset."""
        if value is None or value == "":
            return None
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - a port that is no number raises here
        except ValueError:
            parts = None
        if (
            parts is None
            or parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.username is not None
            or parts.path not in ("", "/")
            or parts.query
            or parts.fragment
            or any(ch.isspace() for ch in value)
        ):
            raise ValueError(
                f"DONDOC_BASE_URL {value!r} không dùng được: đặt địa chỉ người dùng mở trang, dạng "
                "http(s)://tên-máy[:cổng], không kèm đường dẫn (ví dụ https://dondoc.example.gov.vn)"
            )
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def links_base(self) -> str:
        """The address links point to (no trailing slash): ``DONDOC_BASE_URL``. Never guessed from a
        request: unset is refused outside demo mode (``dondoc serve`` alone fills it from its own
        host and port before anything reads it)."""
        if self.base_url:
            return self.base_url.rstrip("/")
        if self.demo:
            return DEMO_BASE_URL
        raise ConfigError(
            "DONDOC_BASE_URL chưa được đặt: hãy đặt địa chỉ người dùng mở trang (ví dụ "
            "DONDOC_BASE_URL=https://dondoc.example.gov.vn) trong .env hoặc biến môi trường"
        )

    def signing_key(self) -> str:
        """The secret for signed links; refuses the default outside demo mode."""
        if self.secret_key == DEFAULT_SECRET_KEY and not self.demo:
            raise ConfigError(
                "DONDOC_SECRET_KEY vẫn là giá trị mặc định: đặt một chuỗi ngẫu nhiên dài "
                "(hoặc DONDOC_DEMO=true để chạy minh họa)"
            )
        if len(self.secret_key) < 16 and not self.demo:
            raise ConfigError("DONDOC_SECRET_KEY cần ít nhất 16 ký tự")
        return self.secret_key


@lru_cache
def get_settings() -> Settings:
    return Settings()
