"""The load test (tests/load/test_load.py): gunicorn + PostgreSQL, driven from a second process."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "load: load test on the production shape (gunicorn + PostgreSQL, ~1 minute); skipped on SQLite",
    )
