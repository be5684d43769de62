"""Settings and credentials, from arguments, then the environment, then ``~/.abeja/config``.

One job a module: ``_credentials`` (secrets in boxes that never show them, and picking
credentials like the platform SDK), ``_profile`` (reading the platform CLI's
configuration file), ``_urls`` (the one base-URL rule), ``_values`` (the
rules for durations, counts, sizes and TLS paths), ``_settings`` (every setting declared
once, and how a value is resolved).
"""

from ._credentials import (
    CREDENTIAL_PAIRS,
    CREDENTIAL_VARIABLES,
    PLATFORM_CLI_VARIABLES,
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
from ._profile import (
    CONFIG_FILE,
    HOW_TO_CONFIGURE,
    MAX_CONFIG_BYTES,
    ORGANIZATION_VARIABLES,
    PROFILE_VARIABLE,
    Profile,
    ProfileReader,
    default_organization,
    profile_reader,
    read_profile,
)
from ._settings import (
    BASE_URL_VARIABLE,
    KEEP,
    MAX_RETRIES_VARIABLE,
    SETTING_VARIABLES,
    SETTINGS,
    TIMEOUT_VARIABLE,
    Keep,
    Rule,
    Settings,
    Timeout,
    resolve_settings,
)
from ._urls import check_base_url, is_loopback
from ._values import MAX_SECONDS, check_limit, check_seconds, check_verify, is_utf8

__all__ = [
    "BASE_URL_VARIABLE",
    "CONFIG_FILE",
    "CREDENTIAL_PAIRS",
    "CREDENTIAL_VARIABLES",
    "HOW_TO_CONFIGURE",
    "KEEP",
    "MAX_CONFIG_BYTES",
    "MAX_RETRIES_VARIABLE",
    "MAX_SECONDS",
    "ORGANIZATION_VARIABLES",
    "PLATFORM_CLI_VARIABLES",
    "PROFILE_VARIABLE",
    "SECRET_VARIABLES",
    "SETTINGS",
    "SETTING_VARIABLES",
    "TIMEOUT_VARIABLE",
    "TOKEN_VARIABLE",
    "Credentials",
    "Keep",
    "Profile",
    "ProfileReader",
    "QuietMapping",
    "Rule",
    "Secret",
    "SecretArgument",
    "Settings",
    "Timeout",
    "check_base_url",
    "check_limit",
    "check_seconds",
    "check_verify",
    "credentials_from",
    "credentials_from_dict",
    "default_organization",
    "hide",
    "is_loopback",
    "is_utf8",
    "profile_reader",
    "quiet_environ",
    "read_profile",
    "resolve_settings",
]
