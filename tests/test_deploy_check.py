"""Production settings pass Django's deployment checklist without a single warning."""


def test_check_deploy_passes_under_production_settings(run_django, production_environment):
    completed = run_django(
        args=["check", "--deploy", "--fail-level", "WARNING"], env=production_environment
    )

    assert completed.returncode == 0, completed.stderr + completed.stdout
    assert "no issues" in completed.stdout


def test_check_deploy_catches_a_debug_production(run_django, production_environment):
    """The check above can fail: the same command rejects production with DEBUG on."""
    completed = run_django(
        args=["check", "--deploy", "--fail-level", "WARNING"],
        env={**production_environment, "DJANGO_DEBUG": "true"},
    )

    assert completed.returncode != 0
    assert "security.W018" in completed.stderr + completed.stdout


def test_a_weak_secret_key_stops_start_up_before_check_deploy(run_django, production_environment):
    completed = run_django(
        args=["check", "--deploy", "--fail-level", "WARNING"],
        env={**production_environment, "SECRET_KEY": "short"},
    )

    assert completed.returncode != 0
    assert completed.stderr.startswith("Configuration error: environment variable SECRET_KEY")
