import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_the_deployment_checklist() -> None:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings_production",
        "SECRET_KEY": "Xq7-deploy-check-only-9fK2mP4vR8wL1nB6tY3hJ5cG0zD-sA2eU",
        "ALLOWED_HOSTS": "spectrum.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert (result.returncode, result.stdout.strip()) == (0, "System check identified no issues (0 silenced).")


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {
        "DJANGO_SETTINGS_MODULE": "config.settings_production",
        "ALLOWED_HOSTS": "spectrum.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr
