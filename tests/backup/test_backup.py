"""``cascada backup`` and ``cascada restore`` round-trip a whole site losslessly between
databases (every row of every copied table, users and their permissions, the audit log,
published editions and the uploaded files), and refuse a bad file or a non-empty target with a
Spanish message, changing nothing.

The round trips run the commands as subprocesses against scratch databases; the refusals
restore into the test database itself (freshly migrated and empty, as a target must be)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from cascada.tracking.backup import backed_up_models
from tests.scratch import ON_POSTGRES, Site, needs_postgres, needs_sqlite, scratch_site

SITE = Path(__file__).with_name("scenario.py")
PASS_VENDOR = "postgresql" if ON_POSTGRES else "sqlite"

pytestmark = pytest.mark.slow


@dataclass
class Source:
    site: Site
    backup: Path
    dump: dict[str, Any]


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[tuple[dict[str, Source], Site]]:
    """The seed plus a row in every copied table, backed up with ``cascada backup``: on SQLite,
    and also on PostgreSQL in the PostgreSQL pass; and a freshly migrated, empty database of
    this pass's kind (copied while the source was built, to save a migration)."""
    folder = tmp_path_factory.mktemp("sources")
    with ExitStack() as stack:
        migrated = stack.enter_context(scratch_site(folder, PASS_VENDOR, "tpl", create=False))
        made = {}
        for vendor in ("sqlite", "postgresql") if ON_POSTGRES else ("sqlite",):
            site = stack.enter_context(scratch_site(folder, vendor, f"src_{vendor[:2]}"))
            copy = [migrated.url] if vendor == PASS_VENDOR else []
            built = json.loads(site.python(SITE, "build", *copy).stdout)
            backup = folder / f"copia-{vendor}.zip"
            done = site.cascada("backup", "-o", str(backup))
            assert "Copia escrita" in done.stdout
            made[vendor] = Source(site, backup, built["dump"])
        yield made, migrated


@pytest.fixture(scope="module")
def sources(sites) -> dict[str, Source]:
    made: dict[str, Source] = sites[0]
    return made


@pytest.fixture
def target(sites, tmp_path) -> Iterator[Site]:
    """A freshly migrated, empty site on the database of this pass of the suite."""
    with scratch_site(tmp_path, PASS_VENDOR, "dst", template=sites[1]) as site:
        yield site


def assert_round_trip(source: Source, target: Site) -> None:
    done = target.cascada("restore", str(source.backup))
    assert "Copia restaurada" in done.stdout
    assert "1 ediciones publicadas" in done.stdout
    checked = json.loads(target.python(SITE, "check").stdout)
    restored = checked["dump"]
    assert restored["media"] == source.dump["media"]
    assert set(restored["tables"]) == set(source.dump["tables"])
    for label, rows in source.dump["tables"].items():
        assert restored["tables"][label] == rows, label
    # New rows get ids after the restored ones (sequences reset on PostgreSQL).
    user_id, event_id = checked["new_ids"]
    assert user_id > max(u["id"] for u in source.dump["tables"]["auth.User"])
    assert event_id > max(e["id"] for e in source.dump["tables"]["tracking.AuditEvent"])


def manifest_of(backup: Path) -> dict[str, Any]:
    with zipfile.ZipFile(backup) as archive:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    return manifest


def test_the_source_has_rows_in_every_copied_table(sources):
    """So that the round trips compare real rows everywhere, not empty tables."""
    manifest = manifest_of(sources["sqlite"].backup)
    assert [t["model"] for t in manifest["tables"] if t["rows"] == 0] == []
    assert {t["model"] for t in manifest["tables"]} <= set(sources["sqlite"].dump["tables"])
    assert {"logos/escudo.png"} <= {f["path"] for f in manifest["media"]}
    assert [e["number"] for e in manifest["editions"]] == [1]
    assert [c["results_match"] for c in manifest["published_cuts"]] == [True]


@needs_sqlite
def test_sqlite_to_sqlite(sources, target):
    assert_round_trip(sources["sqlite"], target)


@needs_postgres
def test_postgresql_to_postgresql(sources, target):
    assert_round_trip(sources["postgresql"], target)


@needs_postgres
def test_sqlite_to_postgresql(sources, target):
    assert_round_trip(sources["sqlite"], target)


# --- refusals: a Spanish message, and the target exactly as it was ------------------------


@pytest.fixture
def empty_site(db, settings, tmp_path) -> Path:
    """The test database (migrated, empty) with its own MEDIA_ROOT."""
    media: Path = tmp_path / "media"
    settings.MEDIA_ROOT = media
    return media


def counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in backed_up_models()}


def refused(backup: Path, expected: str) -> None:
    before = counts()
    with pytest.raises(CommandError) as refusal:
        call_command("restore", str(backup))
    assert expected in str(refusal.value)
    assert counts() == before


def rewrite(source: Path, output: Path, replaced: dict[str, bytes]) -> Path:
    """A copy of the zip ``source`` with some members replaced."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(output, "w") as new:
        for name in old.namelist():
            new.writestr(name, replaced.get(name, old.read(name)))
    return output


def test_truncated_file_is_refused(sources, empty_site, tmp_path):
    data = sources["sqlite"].backup.read_bytes()
    for size in (0, len(data) // 2, len(data) - 30):
        cut = tmp_path / f"cortado-{size}.zip"
        cut.write_bytes(data[:size])
        refused(cut, "no es una copia de cascada válida o está dañado")
    assert not empty_site.exists()


def test_tampered_row_is_refused(sources, empty_site, tmp_path):
    name = "tables/plans.indicator.jsonl"
    with zipfile.ZipFile(sources["sqlite"].backup) as archive:
        rows = archive.read(name).replace(b'"name":"', b'"name":"X', 1)
    bad = rewrite(sources["sqlite"].backup, tmp_path / "alterada.zip", {name: rows})
    refused(bad, f"la suma de verificación de «{name}» no coincide")


def test_tampered_edition_fails_the_published_edition_check(sources, empty_site, tmp_path):
    """A changed published result with the table's checksum recomputed to match: the rows go in,
    the edition check fails and the whole restore is rolled back, files included."""
    name = "tables/tracking.cutedition.jsonl"
    with zipfile.ZipFile(sources["sqlite"].backup) as archive:
        rows = archive.read(name).replace(b"183.333333333333", b"193.333333333333")
    assert rows != sources["sqlite"].backup.read_bytes()
    manifest = manifest_of(sources["sqlite"].backup)
    for table in manifest["tables"]:
        if table["file"] == name:
            table["sha256"] = hashlib.sha256(rows).hexdigest()
    replaced = {name: rows, "manifest.json": json.dumps(manifest).encode()}
    bad = rewrite(sources["sqlite"].backup, tmp_path / "edicion.zip", replaced)
    refused(bad, "Comprobación de ediciones publicadas fallida")
    assert not any(p.is_file() for p in empty_site.rglob("*"))


def test_not_a_backup_is_refused(empty_site, tmp_path):
    other = tmp_path / "otro.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hola.txt", "no es una copia")
    refused(other, "no contiene manifest.json")
    refused(tmp_path / "no-existe.zip", "No existe el archivo")


def test_a_database_with_data_is_refused(sources, empty_site):
    call_command("restore", str(sources["sqlite"].backup))
    assert counts()["tracking.CutEdition"] == 1
    refused(sources["sqlite"].backup, "La base de datos de destino no está vacía")


def test_an_existing_uploaded_file_is_refused(sources, empty_site):
    (empty_site / "logos").mkdir(parents=True)
    (empty_site / "logos" / "escudo.png").write_bytes(b"otro logo")
    refused(sources["sqlite"].backup, "Ya existe el archivo")
    assert (empty_site / "logos" / "escudo.png").read_bytes() == b"otro logo"


def test_a_backup_into_an_unwritable_place_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No existe la carpeta"):
        call_command("backup", "-o", str(tmp_path / "no" / "copia.zip"))
