import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block schedules for after commit, as a real commit would (the domain's
    events, then the messages' send tasks)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
