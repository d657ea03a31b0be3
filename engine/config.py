"""Live-mode configuration: environment (`FLOORWATCH_*`, nested with `__`) over a config file.

`load_config(path)` reads an optional YAML, JSON or TOML file, lets the environment override
it, and raises `ConfigError` listing every bad field as `field.path: message`.
The password comes from `FLOORWATCH_PASSWORD` (or the file) and stays a `SecretStr`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    SecretStr,
    ValidationError,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from engine.config_file import ConfigError, error_lines, read_file, settings_error_line
from engine.core import Policy, PolicyError
from engine.link import MAX_FRAME_BYTES, Spelling
from engine.link.errors import LinkError
from engine.link.tls import trust
from engine.link.urls import TLS_ONLY, UrlRefused, is_loopback_host, service_root
from engine.store import default_data_path
from engine.team.settings import TeamSettings

ENV_PREFIX = "FLOORWATCH_"
_FILE_VALUES: ContextVar[Mapping[str, Any]] = ContextVar(
    "floorwatch_config_file", default=MappingProxyType({})
)


def _policy(value: object) -> Policy | None:
    if value is None or isinstance(value, Policy):
        return value
    if not isinstance(value, Mapping):
        raise ValueError(f"policy: expected an object of thresholds, got {type(value).__name__}")
    try:
        return Policy.from_mapping(value)
    except PolicyError as exc:
        raise ValueError(str(exc)) from None


PolicyField = Annotated[Policy | None, PlainValidator(_policy)]
_BINDING_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_KEY = re.compile(r"[^\s,]+")


def _keymap(value: object) -> dict[str, str]:
    """Binding id -> keys ("ctrl+t" or "ctrl+t,f2"), in shape; the dashboard checks the ids
    against its bindings (`tui.keymap`), naming the ones that are not."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(
            "keymap: expected binding ids and their keys, e.g. {thresholds: f2}, "
            f"got {type(value).__name__}"
        )
    keymap: dict[str, str] = {}
    for binding_id, keys in value.items():
        if not isinstance(binding_id, str) or not _BINDING_ID.fullmatch(binding_id):
            raise ValueError(f"keymap: {binding_id!r} is not a binding id (words joined by -)")
        text = _whole_number_as_text(keys)  # `{queue-view: 6}` means the key 6
        if not isinstance(text, str):
            raise ValueError(f"keymap.{binding_id}: expected keys as text, e.g. f2 or ctrl+t,f2")
        names = [name.strip() for name in text.split(",")]
        if not all(_KEY.fullmatch(name) for name in names):
            raise ValueError(
                f"keymap.{binding_id}: {text!r} is not a list of keys (key names joined by "
                "commas, e.g. ctrl+t,f2)"
            )
        keymap[binding_id] = ",".join(names)
    return keymap


KeymapField = Annotated[dict[str, str], PlainValidator(_keymap)]


def _names_a_file(value: Path) -> Path:
    if not value.name or value.name == "..":
        raise ValueError(f"must name a file, got {str(value)!r}")
    return value


DataPath = Annotated[Path, AfterValidator(_names_a_file)]


def _whole_number_as_text(value: object) -> object:
    """A YAML or TOML whole number (`account: 123`) as the text it was written as; a boolean
    or a fraction is left to be refused (`yes` or `1.5` is no name or id)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_whole_number_as_text)]
"""Text that may be written as a whole number: account, username, password, supervisor."""


def _usable_authorities(value: Path) -> Path:
    trust(value)  # raises ValueError naming the file and why
    return value


CaFile = Annotated[Path, AfterValidator(_usable_authorities)]
Seconds = Annotated[float, Field(gt=0, allow_inf_nan=False)]
"""A finite, positive number of seconds."""


class ReconnectSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    base: Seconds = 0.5
    """First reconnect delay in seconds (before jitter)."""
    factor: float = Field(2.0, ge=1, allow_inf_nan=False)
    """Each failed attempt multiplies the delay by this."""
    cap: Seconds = 30.0
    """The longest delay in seconds."""


class FloorwatchConfig(BaseSettings, TeamSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        use_attribute_docstrings=True,
    )

    account: Text = Field(min_length=1)
    """The LivePerson account (site) id."""
    username: Text = Field(min_length=1)
    """The supervisor's login name (a user allowed to see every agent's conversations)."""
    password: Annotated[SecretStr, BeforeValidator(_whole_number_as_text)]
    """Set it through FLOORWATCH_PASSWORD rather than a file."""
    csds_url: str = Field("adminlogin.liveperson.net", min_length=1)
    """The domain lookup (CSDS) host or base URL."""
    policy: PolicyField = None
    """Thresholds used when the data file holds none yet, e.g. {"online": 120, "away": 60}."""
    dry_run: bool = False
    """Decide and record, never act."""
    data_path: DataPath = Field(default_factory=default_data_path)
    """The SQLite data file (audit log, policy, overrides)."""
    presence: Literal["push", "poll"] = "poll"
    """"poll": agent-view/status over REST; "push": agent-state notifications on the socket."""
    poll_interval: Seconds = 5.0
    """Seconds between presence polls (a barrier also polls at once)."""
    keepalive_interval: Seconds = 20.0
    """Seconds between keep-alive GetClock round trips."""
    request_timeout: Seconds = 10.0
    """Seconds a websocket request or REST call may stay unanswered."""
    refresh_interval: Seconds = 600.0
    """Seconds between login refreshes."""
    tick_interval: Seconds = 0.25
    """Seconds between engine ticks (deadlines are also checked after every frame)."""
    max_frame_bytes: int = Field(MAX_FRAME_BYTES, ge=1024)
    """Frames larger than this are dropped and counted, and the floor read again."""
    spelling: Spelling = Spelling.RAW
    """Request type names as the official SDK sends them ("raw": `.GetClock`,
    `.ams.aam.SubscribeExConversations`) or as the API documentation names them
    ("documented": `GetClock`, `cqm.SubscribeExConversations`)."""
    ca_file: CaFile | None = None
    """A PEM file of certificate authorities to trust besides the system's (a company proxy's,
    or the one `floorwatch serve-fixtures --tls` prints)."""
    reconnect: ReconnectSettings = Field(default_factory=ReconnectSettings)
    insecure_http: bool = False
    """http:// and ws:// instead of https:// and wss://, for a loopback host only (127.0.0.0/8,
    ::1, localhost): the fixtures. Without it every URL must be https/wss."""
    supervisor: Text | None = None
    """The name audit events carry for commands from this dashboard (default: username)."""
    keymap: KeymapField = Field(default_factory=dict)
    """The dashboard's keys by binding id, e.g. {thresholds: f2, unassign-now: x}; `?` in
    the dashboard lists the keys, and an unknown id is refused naming the known ones."""

    @model_validator(mode="after")
    def _tls_unless_loopback(self) -> FloorwatchConfig:
        self.lease_outlasts_actions(self.request_timeout)
        url = self.csds_url
        if self.insecure_http and not is_loopback_host(_host_of(url)):
            raise ValueError(
                "insecure_http: only allowed when csds_url is a loopback address "
                f"(127.0.0.0/8, ::1, localhost), not {url!r}"
            )
        try:
            service_root(url, source="csds_url", insecure=self.insecure_http)
        except UrlRefused:
            raise ValueError(f"csds_url: {url!r} is not https; {TLS_ONLY}") from None
        except LinkError as exc:
            raise ValueError(str(exc).replace("csds_url named ", "csds_url: ", 1)) from None
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Explicit values, then the environment, then the config file."""
        file_values = InitSettingsSource(settings_cls, init_kwargs=dict(_FILE_VALUES.get()))
        return init_settings, env_settings, file_values


def load_config(path: Path | None = None, /, **values: Any) -> FloorwatchConfig:
    """The configuration from `values`, the environment and the file at `path`, if given."""
    file_values = read_file(path) if path is not None else {}
    with _file_values(file_values):
        try:
            return FloorwatchConfig(**values)
        except ValidationError as exc:
            raise ConfigError(error_lines(exc, ENV_PREFIX)) from None
        except SettingsError as exc:  # a FLOORWATCH_* variable that is not valid JSON
            raise ConfigError([settings_error_line(exc, ENV_PREFIX)]) from None


@contextmanager
def _file_values(values: Mapping[str, Any]) -> Iterator[None]:
    token = _FILE_VALUES.set(values)
    try:
        yield
    finally:
        _FILE_VALUES.reset(token)


def _host_of(url: str) -> str:
    """The host of a URL or `host[:port]` ("" when there is none or the port is bad)."""
    try:
        return urlsplit(url if "://" in url else f"//{url}").hostname or ""
    except ValueError:
        return ""
