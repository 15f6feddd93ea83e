"""The server killed (SIGKILL) during an import or a publication leaves the database as before
or as after, never in between; and the audit log says exactly what happened.

A subprocess runs the real service against a scratch database and is paused at its first
write, in the middle of its writes and after its last write (all inside the open transaction),
and after the commit; it is killed there. Every row of every table is then compared with the
database before (must be identical) and with a reference run that finished (identical but for
timestamps). ``cascada import`` itself is also killed at moments spread over its run."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scratch import ON_POSTGRES, Site, copy_database, scratch_site, snapshot

VICTIM = Path(__file__).with_name("victim.py")
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "gestion_publica_2026-03-31.xlsx"
VENDOR = "postgresql" if ON_POSTGRES else "sqlite"
AUDIT = "tracking_auditevent"

pytestmark = pytest.mark.slow


def stamp(column: str) -> bool:
    """Columns that hold the moment of a write: they differ between two runs."""
    return column == "at" or column.endswith("_at")


@pytest.fixture(scope="module")
def bases(tmp_path_factory) -> Iterator[dict[str, Site]]:
    """``import``: a freshly migrated, empty database; ``publish``: the same with the sample
    imported, its 31 March 2026 cut open."""
    folder = tmp_path_factory.mktemp("bases")
    with (
        scratch_site(folder, VENDOR, "empty") as empty,
        scratch_site(folder, VENDOR, "imported", create=False) as imported,
    ):
        empty.cascada("migrate", "--noinput", "-v", "0")
        copy_database(empty.url, imported.url)
        imported.cascada("import", str(SAMPLE))
        yield {"import": empty, "publish": imported}


def kill_at(site: Site, action: str, pause: int, marker: Path) -> None:
    process = site.popen([sys.executable, str(VICTIM), action, str(pause), str(marker)])
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the victim never reached its pause"
            time.sleep(0.05)
    finally:
        process.kill()  # SIGKILL: no handler, no rollback by the client
        process.communicate()


@pytest.mark.parametrize("action", ["import", "publish"])
def test_killed_mid_transaction_leaves_before_or_after(bases, tmp_path, action):
    base = bases[action]
    before = snapshot(base)
    with scratch_site(tmp_path, VENDOR, "reference", template=base) as reference:
        done = reference.python(VICTIM, action, "0")
        writes = int(done.stdout.split()[-1])
        after = snapshot(reference, mask=stamp)
    assert writes >= 3
    assert after != snapshot(base, mask=stamp)  # the action changes something
    assert len(after[AUDIT]) == len(before[AUDIT]) + 1  # one audit row for the action

    for pause in sorted({1, writes // 2, writes}):  # first, middle and last write, uncommitted
        with scratch_site(tmp_path, VENDOR, f"killed{pause}", template=base) as site:
            kill_at(site, action, pause, tmp_path / f"pausa-{action}-{pause}")
            assert snapshot(site) == before, f"{action} killed after write {pause} of {writes}"
    with scratch_site(tmp_path, VENDOR, "committed", template=base) as site:
        kill_at(site, action, -1, tmp_path / f"pausa-{action}-fin")
        assert snapshot(site, mask=stamp) == after


def test_cascada_import_killed_at_any_moment(bases, tmp_path):
    """The real command, killed at moments spread over its run (where its transaction falls
    depends on the machine's load, hence the deterministic test above): before or after,
    nothing else."""
    base = bases["import"]
    before = snapshot(base)
    with scratch_site(tmp_path, VENDOR, "reference", template=base) as reference:
        started = time.monotonic()
        reference.cascada("import", str(SAMPLE))
        duration = time.monotonic() - started
        after = snapshot(reference, mask=stamp)
    seen = []
    for n, share in enumerate((0.4, 0.55, 0.7)):
        with scratch_site(tmp_path, VENDOR, f"cli{n}", template=base) as site:
            process = site.popen(
                [str(Path(sys.executable).with_name("cascada")), "import", str(SAMPLE)]
            )
            time.sleep(duration * share)
            process.kill()
            process.communicate()
            now = snapshot(site)
            if now == before:
                seen.append("antes")
            else:
                assert snapshot(site, mask=stamp) == after, f"killed at {share:.0%}: in between"
                seen.append("después")
    print("estados tras matar cascada import:", seen)
