"""Files tierdesk writes get the permissions any new file gets, not the private ones of a temporary file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tierdesk.domain.plan_objectives import new_plan
from tierdesk.domain.playbook import default_playbook
from tierdesk.io.load import open_territory
from tierdesk.io.plan_file import write_plan
from tierdesk.io.snapshot import PlanSnapshot
from tierdesk.paths import sample_territory


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_saved_plan_is_readable_by_the_group_like_any_new_file(tmp_path: Path) -> None:
    result = open_territory(sample_territory())
    state = PlanSnapshot.from_plan(new_plan(result.accounts, default_playbook()), result)
    old = os.umask(0o022)
    try:
        write_plan(state, tmp_path / "plan.xlsx")
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "plan.xlsx").stat().st_mode)
    assert mode == 0o644
