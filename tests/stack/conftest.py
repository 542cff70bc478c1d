import shutil

import pytest

from tests.workers import ON_POSTGRES_WITH_REDIS

from .runner import RunningStack, running_stack


@pytest.fixture(scope="module")
def stack() -> RunningStack:
    if not ON_POSTGRES_WITH_REDIS:
        pytest.skip("the stack runs the production settings: needs PostgreSQL and Redis")
    # Not a skip: on PostgreSQL and Redis (CI) a missing nginx is a set-up fault to see.
    assert shutil.which("nginx"), "nginx is missing: run deploy/system-deps.sh"
    with running_stack() as running:
        yield running
