"""The production shape: Django's deployment checks pass with production settings, and the
security headers are sent on every page."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "geschilbeslechting.example.nl",
    "DJANGO_SECURE_SSL_REDIRECT": "1",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_BEHIND_TLS_PROXY": "1",
}


def manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deployment_checks_pass_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deployment_checks_fail_without_the_production_settings():
    insecure = {**PRODUCTION_ENV, "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_HSTS_SECONDS": "0"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=insecure)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # HSTS


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_production_shares_the_brakes_counters_between_workers_by_default():
    """Without DJANGO_CACHE_URL the cache is a database table, which every gunicorn worker shares;
    Redis when DJANGO_CACHE_URL names it; and a cache address it cannot use stops the start."""
    show = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    minimal = {key: PRODUCTION_ENV[key] for key in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")}
    assert manage("shell", "-c", show, env_overrides=minimal).stdout.strip().endswith("db.DatabaseCache")
    redis = {**minimal, "DJANGO_CACHE_URL": "redis://127.0.0.1:6379/1"}
    assert manage("shell", "-c", show, env_overrides=redis).stdout.strip().endswith("redis.RedisCache")
    wrong = manage("shell", "-c", show, env_overrides={**minimal, "DJANGO_CACHE_URL": "memcached://x"})
    assert wrong.returncode != 0 and "DJANGO_CACHE_URL" in wrong.stderr


MINIMAL_PRODUCTION = {key: PRODUCTION_ENV[key] for key in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")}
SHOW_SECURITY = (
    "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
    "s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
    "s.SESSION_COOKIE_PATH, s.CSRF_COOKIE_PATH, s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN)"
)


def security_settings(env) -> list[str]:
    result = manage("shell", "-c", SHOW_SECURITY, env_overrides=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split()  # after the shell's own "objects imported" line


def test_deployment_checks_pass_with_only_debug_off_a_key_and_allowed_hosts():
    """Production is the safe default: nothing but DJANGO_DEBUG=0, a key and the host names."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=MINIMAL_PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_defaults_to_https_hsts_and_host_prefixed_cookies():
    """ASVS 5.0 3.3.1: ``__Host-`` cookies (Secure, Path=/, no Domain); HTTPS redirect and a year of HSTS."""
    assert security_settings(MINIMAL_PRODUCTION) == [
        "True", "31536000", "__Host-sessionid", "__Host-csrftoken", "True", "True", "/", "/", "None", "None"]


def test_https_and_hsts_can_be_switched_off_explicitly_and_the_cookie_prefix_follows_secure_cookies():
    plain = {**MINIMAL_PRODUCTION, "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_HSTS_SECONDS": "0",
             "DJANGO_SECURE_COOKIES": "0"}
    assert security_settings(plain)[:6] == ["False", "0", "sessionid", "csrftoken", "False", "False"]


def test_make_run_keeps_plain_http_on_localhost():
    """``make run`` sets DJANGO_DEBUG=1: no redirect to HTTPS, no HSTS, ordinary cookie names (a browser
    refuses ``__Host-`` cookies without Secure)."""
    assert security_settings({"DJANGO_DEBUG": "1"})[:6] == [
        "False", "0", "sessionid", "csrftoken", "False", "False"]


@pytest.mark.django_db
def test_the_log_in_sets_host_prefixed_secure_cookies(client, world, settings):
    """The cookies a browser receives in production: ``__Host-`` names, Secure, Path=/, no Domain."""
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid" and settings.CSRF_COOKIE_NAME == "__Host-csrftoken"
    form = client.get(reverse("login"))
    csrf = form.cookies["__Host-csrftoken"]
    world.tenant.set_password("juist-wachtwoord-2026")
    world.tenant.save()
    response = client.post(reverse("login"), {"username": "anna", "password": "juist-wachtwoord-2026"})
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    for cookie in (csrf, session):
        assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]
    assert client.get(reverse("home")).status_code == 200  # the renamed cookies carry the session
