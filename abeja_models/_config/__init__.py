"""Settings and credentials, from arguments first and the platform SDK's variables second.

One job a module: ``_credentials`` (secrets in boxes that never show them, and picking
credentials like the platform SDK), ``_urls`` (which API URLs are allowed), ``_settings``
(every default once, the environment's numbers, and one check for each setting).
"""

from ._credentials import (
    CREDENTIAL_PAIRS,
    CREDENTIAL_VARIABLES,
    SECRET_VARIABLES,
    TOKEN_VARIABLE,
    Credentials,
    QuietMapping,
    Secret,
    SecretArgument,
    credentials_from,
    credentials_from_dict,
    hide,
    quiet_environ,
)
from ._settings import (
    BASE_URL_VARIABLE,
    DEFAULT_BACKOFF_BASE,
    DEFAULT_BACKOFF_MAX,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_ANSWER_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_POOL_SIZE,
    DEFAULT_TIMEOUT,
    KEEP,
    MAX_RETRIES_VARIABLE,
    SETTING_VARIABLES,
    TIMEOUT_VARIABLE,
    Keep,
    SettingArguments,
    Settings,
    Timeout,
    normalize_timeout,
    resolve_settings,
)
from ._urls import check_base_url, is_loopback

__all__ = [
    "BASE_URL_VARIABLE",
    "CREDENTIAL_PAIRS",
    "CREDENTIAL_VARIABLES",
    "DEFAULT_BACKOFF_BASE",
    "DEFAULT_BACKOFF_MAX",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_ANSWER_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_POOL_SIZE",
    "DEFAULT_TIMEOUT",
    "KEEP",
    "MAX_RETRIES_VARIABLE",
    "SECRET_VARIABLES",
    "SETTING_VARIABLES",
    "TIMEOUT_VARIABLE",
    "TOKEN_VARIABLE",
    "Credentials",
    "Keep",
    "QuietMapping",
    "Secret",
    "SecretArgument",
    "SettingArguments",
    "Settings",
    "Timeout",
    "check_base_url",
    "credentials_from",
    "credentials_from_dict",
    "hide",
    "is_loopback",
    "normalize_timeout",
    "quiet_environ",
    "resolve_settings",
]
