"""CalDAV passwords: standard input, ``PLANNER_CALDAV_PASSWORD``, or the system keyring.

Never in settings, logs or messages: only the user name is remembered (per server, in the
settings); the password lives in the keyring (``keyring``: Secret Service, macOS Keychain,
Windows Credential Locker). A machine without a keyring backend (a headless server) gets a
clear sentence pointing to the two other ways, never a traceback.
"""

from __future__ import annotations

import os

from planner.core.errors import PlannerError

ENV_PASSWORD = "PLANNER_CALDAV_PASSWORD"
KEYRING_SERVICE = "planner-caldav"
NO_KEYRING_HINT = (f"set {ENV_PASSWORD} or pass --password-stdin (e.g. "
                   f"'pass show caldav | planner sync --password-stdin ...')")


class CredentialError(PlannerError):
    """No password could be found or kept; the message says how to give one."""


def keyring_account(server: str, user: str) -> str:
    """The keyring entry's user name: one entry per user and server."""
    return f"{user}@{server}"


def password_from_keyring(server: str, user: str) -> str | None:
    """The stored password, or None when there is none.

    Raises:
        CredentialError: there is no usable keyring on this machine.
    """
    try:
        import keyring
        import keyring.errors

        value = keyring.get_password(KEYRING_SERVICE, keyring_account(server, user))
    except ImportError:
        raise CredentialError(f"the keyring module is not installed; {NO_KEYRING_HINT}"
                              ) from None
    except Exception as exc:  # NoKeyringError, a locked or absent Secret Service, D-Bus...
        raise CredentialError(f"no system keyring is usable here ({type(exc).__name__}); "
                              f"{NO_KEYRING_HINT}") from None
    return value if isinstance(value, str) and value else None


def save_in_keyring(server: str, user: str, password: str) -> None:
    """Keep the password in the system keyring for the next syncs."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, keyring_account(server, user), password)
    except Exception as exc:
        raise CredentialError(f"cannot save the password in the system keyring "
                              f"({type(exc).__name__}); {NO_KEYRING_HINT}") from None


def find_password(server: str, user: str, stdin_text: str | None = None) -> str:
    """The password to use: standard input, then the environment, then the keyring.

    A server without a user name needs none ('' is returned).

    Raises:
        CredentialError: a user name was given and no password was found.
    """
    if stdin_text is not None:
        password = stdin_text.rstrip("\r\n")
        if not password:
            raise CredentialError("--password-stdin: standard input held no password")
        return password
    from_env = os.environ.get(ENV_PASSWORD, "")
    if from_env:
        return from_env
    if not user:
        return ""
    try:
        stored = password_from_keyring(server, user)
    except CredentialError as error:
        raise CredentialError(f"no password for {user} at {server}: {error}") from None
    if stored is None:
        raise CredentialError(
            f"no password for {user} at {server} in the system keyring; give it once with "
            f"--password-stdin --save-password, or set {ENV_PASSWORD}")
    return stored
