"""The import from the browser (issue 4): upload, errors or a preview, confirmation by the
plan's administrators (issue 6; every role is in tests/accounts/test_authorization_matrix.py)."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from cascada.accounts.models import Membership, Role
from cascada.engine.model import Progress
from cascada.imports import uploads
from cascada.imports.export import write_workbook as write_plan
from cascada.imports.services import import_workbook
from cascada.imports.template_v1 import read_template
from cascada.imports.views import PENDING, max_bytes
from cascada.plans.models import Objective, Plan
from cascada.tracking.models import AuditEvent
from tests.imports.test_import_service import database_state
from tests.test_seed_golden import CUT, SAMPLE
from tests.workbooks import small_plan, write_workbook

pytestmark = pytest.mark.django_db

UPLOAD = "/importar/"
PREVIEW = "/importar/vista-previa/"
CONFIRM = "/importar/confirmar/"
CANCEL = "/importar/cancelar/"
RESULT = "/importar/resultado/"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def staff(client: Client) -> Client:
    """The planning office: a superuser, who may import any plan, new or not."""
    user = get_user_model().objects.create_user(
        "planeacion", password="x", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client


def xlsx(tmp_path: Path, sheets=None, name: str = "mi plan.xlsx") -> SimpleUploadedFile:
    path = write_workbook(tmp_path / "libro.xlsx", small_plan() if sheets is None else sheets)
    return SimpleUploadedFile(name, path.read_bytes())


def stored_files() -> list[Path]:
    folder = uploads.uploads_dir()
    return sorted(folder.iterdir()) if folder.is_dir() else []


def upload(client: Client, file: SimpleUploadedFile, *, follow: bool = True):
    return client.post(UPLOAD, {"archivo": file}, follow=follow)


def confirm_field(response) -> str:
    match = re.search(r'name="archivo" value="([^"]+)"', response.content.decode())
    assert match, "no confirmation form"
    return match.group(1)


def text_of(response) -> str:
    """The page's text, tags removed and spaces collapsed."""
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# ---------------------------------------------------------------------------------------------
# Who may import


def test_anonymous_users_are_sent_to_the_login_and_nothing_is_written(client, tmp_path):
    before = database_state()
    for method, url in [
        ("get", UPLOAD),
        ("post", UPLOAD),
        ("get", PREVIEW),
        ("post", CONFIRM),
        ("post", CANCEL),
        ("get", RESULT),
        ("get", "/importar/plantilla.xlsx"),
    ]:
        data = {"archivo": xlsx(tmp_path)} if (method, url) == ("post", UPLOAD) else {}
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/cuenta/ingresar/?next=/importar/"), url
    assert stored_files() == []
    assert database_state() == before


@pytest.mark.parametrize("is_staff", [False, True], ids=["user", "staff-without-role"])
def test_users_who_administer_no_plan_get_403_and_nothing_is_written(client, tmp_path, is_staff):
    user = get_user_model().objects.create_user("entidad", password="x", is_staff=is_staff)
    client.force_login(user)
    before = database_state()
    for method, url in [
        ("get", UPLOAD),
        ("post", UPLOAD),
        ("get", PREVIEW),
        ("post", CONFIRM),
        ("post", CANCEL),
        ("get", RESULT),
        ("get", "/importar/plantilla.xlsx"),
    ]:
        data = {"archivo": xlsx(tmp_path)} if (method, url) == ("post", UPLOAD) else {}
        assert getattr(client, method)(url, data).status_code == 403, url
    assert stored_files() == []
    assert database_state() == before


def administrator_of(client: Client, code: str, username: str = "oficina") -> Client:
    plan = Plan.objects.get(code=code)
    user = get_user_model().objects.create_user(username, password="x")
    Membership.objects.create(user=user, plan=plan, role=Role.ADMINISTRADOR)
    client.force_login(user)
    return client


def test_a_plan_administrator_imports_their_plan(client, tmp_path):
    import_workbook(workbook=read_template(write_workbook(tmp_path / "a.xlsx", small_plan())))
    admin = administrator_of(client, "PM-2024")
    sheets = small_plan()
    sheets["objetivos"][1][1] = "Segundo objetivo, renombrado"
    preview = upload(admin, xlsx(tmp_path, sheets))
    assert preview.status_code == 200
    response = admin.post(CONFIRM, {"archivo": confirm_field(preview)})
    assert response.status_code == 302
    assert Objective.objects.get(code="B").name == "Segundo objetivo, renombrado"


def test_the_administrator_of_another_plan_cannot_import_this_one(client, tmp_path):
    import_workbook(workbook=read_template(write_workbook(tmp_path / "a.xlsx", small_plan())))
    other = replace_plan_code(small_plan(), "OTRO-2024")
    import_workbook(workbook=read_template(write_workbook(tmp_path / "b.xlsx", other)))
    admin = administrator_of(client, "OTRO-2024")
    sheets = small_plan()
    sheets["objetivos"][1][1] = "Cambio ajeno"
    before = database_state()
    response = upload(admin, xlsx(tmp_path, sheets))
    assert response.redirect_chain == [(PREVIEW, 302)]
    assert response.status_code == 403
    text = text_of(response)
    assert "Usted no administra el plan «PM-2024»" in text
    assert stored_files() == []  # dropped
    assert PENDING not in admin.session
    assert database_state() == before


def test_creating_a_plan_makes_its_creator_its_administrator(client, tmp_path):
    other = replace_plan_code(small_plan(), "OTRO-2024")
    import_workbook(workbook=read_template(write_workbook(tmp_path / "b.xlsx", other)))
    admin = administrator_of(client, "OTRO-2024")
    preview = upload(admin, xlsx(tmp_path))
    response = admin.post(CONFIRM, {"archivo": confirm_field(preview)})
    assert response.status_code == 302
    plan = Plan.objects.get(code="PM-2024")
    assert Membership.objects.filter(
        user__username="oficina", plan=plan, role=Role.ADMINISTRADOR
    ).exists()
    event = AuditEvent.objects.get(plan=plan, action="rol:asignar")
    assert event.actor_label == "oficina"
    assert event.after == {
        "usuario": "oficina",
        "plan": "PM-2024",
        "rol": "administrador",
        "entidad": None,
        "staff": False,
    }


def test_a_user_without_the_administrator_role_cannot_create_a_plan(client, tmp_path):
    import_workbook(workbook=read_template(write_workbook(tmp_path / "a.xlsx", small_plan())))
    user = get_user_model().objects.create_user("revisora", password="x", is_staff=True)
    Membership.objects.create(user=user, plan=Plan.objects.get(code="PM-2024"), role=Role.REVISOR)
    client.force_login(user)
    assert client.get(UPLOAD).status_code == 403


def replace_plan_code(sheets, code):
    sheets["plan"] = [row if row[0] != "codigo" else ["codigo", code] for row in sheets["plan"]]
    return sheets


def test_the_upload_form_is_accessible(staff):
    response = staff.get(UPLOAD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "{% extends" not in html
    assert '<label for="id_archivo">' in html
    assert 'id="id_archivo"' in html
    assert 'aria-describedby="archivo-ayuda"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html
    assert "20 MB" in text_of(response)
    assert 'class="site-header"' in html  # the dashboard's layout


# ---------------------------------------------------------------------------------------------
# Errors


def test_a_broken_workbook_shows_located_errors_and_writes_nothing(staff, tmp_path):
    before = database_state()
    sheets = small_plan()
    sheets["avances"][2][3] = "seis"  # row 3, ejecutado_corte
    sheets["indicadores"][1][1] = "M9"  # row 2, unknown goal
    response = upload(staff, xlsx(tmp_path, sheets))
    assert response.redirect_chain == [(PREVIEW, 302)]
    assert response.status_code == 200
    html = response.content.decode()
    for header in ["Hoja", "Fila", "Columna", "Valor encontrado", "Se esperaba"]:
        assert '<th scope="col"' in html and header in html
    rows = re.findall(
        r"<tr>\s*<th scope=\"row\">(.*?)</th>\s*<td[^>]*>(.*?)</td>\s*<td>(.*?)</td>\s*<td[^>]*>(.*?)</td>",
        html,
        re.S,
    )
    assert ("indicadores", "2", "meta", "M9") in rows
    assert ("avances", "3", "ejecutado_corte", "seis") in rows
    assert "2 errores" in text_of(response)
    assert "no se importó nada" in text_of(response)
    assert 'id="resumen-errores" tabindex="-1" autofocus' in html  # focus lands on the summary
    assert "<title>Error:" in html
    assert database_state() == before
    assert stored_files() == []  # the rejected file is not kept
    assert PENDING not in staff.session


def test_a_file_that_is_not_a_workbook_is_named_by_the_users_file_name(staff):
    response = upload(staff, SimpleUploadedFile("roto.xlsx", b"esto no es un libro"))
    text = text_of(response)
    assert "roto.xlsx" in text
    assert "(el archivo)" in text
    assert stored_files() == []


@pytest.mark.parametrize("name", ["plan.xls", "plan.csv", "plan.pdf", "sin_extension"])
def test_other_file_types_are_refused_with_a_clear_message(staff, tmp_path, name):
    response = upload(staff, xlsx(tmp_path, name=name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "no es un libro .xlsx ni un .zip" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="archivo-ayuda archivo-error"' in html
    assert stored_files() == []


def test_an_empty_submission_asks_for_a_file(staff):
    response = staff.post(UPLOAD, {})
    assert "Elija un archivo" in response.content.decode()


def test_an_oversized_upload_is_rejected_and_never_stored(staff, tmp_path, settings):
    settings.CASCADA_IMPORT_MAX_BYTES = 1024
    before = database_state()
    response = upload(staff, SimpleUploadedFile("grande.xlsx", b"x" * 5000), follow=False)
    assert response.status_code == 413
    text = text_of(response)
    assert "pesa más de 0.000976562 MB" in text
    assert "cascada import" in text
    assert stored_files() == []
    assert PENDING not in staff.session
    assert database_state() == before


def test_the_default_limit_is_20_megabytes(staff):
    assert max_bytes() == 20 * 1024 * 1024


# ---------------------------------------------------------------------------------------------
# Preview, confirmation


def test_a_valid_workbook_is_previewed_without_writing_anything(staff, tmp_path, data_dir):
    before = database_state()
    response = upload(staff, xlsx(tmp_path))
    assert response.status_code == 200
    text = text_of(response)
    assert "Vista previa de la importación" in text
    assert "Todavía no se ha guardado nada" in text
    assert "Se creará un plan nuevo" in text
    assert "PM-2024" in text
    assert "objetivos 2 0 0" in text
    assert "indicadores 3 0 0" in text
    assert "avances 4 0 0" in text
    assert "ponderaciones 5 0 0" in text
    assert "Confirmar importación" in text
    assert database_state() == before
    # Stored under a random name, never the user's; path and digest are in the session.
    (stored,) = stored_files()
    assert stored.parent == data_dir / "uploads"
    assert "mi plan" not in stored.name
    assert re.fullmatch(r"[0-9a-f]{32}\.xlsx", stored.name)
    pending = staff.session[PENDING]
    assert pending["file"] == stored.name
    assert pending["name"] == "mi plan.xlsx"
    assert len(pending["sha256"]) == 64


def test_confirming_imports_the_previewed_file_as_the_user(staff, tmp_path):
    file = xlsx(tmp_path)
    content = file.read()
    file.seek(0)
    preview = upload(staff, file)
    response = staff.post(CONFIRM, {"archivo": confirm_field(preview)}, follow=True)
    assert response.redirect_chain == [(RESULT, 302)]
    text = text_of(response)
    assert "Importación realizada" in text
    assert "Se creó el plan PM-2024" in text
    assert 'href="/planes/PM-2024/"' in response.content.decode()
    plan = Plan.objects.get(code="PM-2024")
    assert Objective.objects.filter(plan=plan).count() == 2
    (event,) = AuditEvent.objects.filter(plan=plan, action="importar_plan")
    assert event.actor is not None
    assert event.actor.username == "planeacion"
    assert event.actor_label == "planeacion"
    assert event.after is not None
    assert event.after["archivo"] == "mi plan.xlsx"
    assert event.after["sha256"] == hashlib.sha256(content).hexdigest()  # the very bytes sent
    assert stored_files() == []  # the temporary file is deleted
    assert PENDING not in staff.session
    # Confirming again (a double click, the back button) imports nothing more.
    again = staff.post(CONFIRM, {"archivo": confirm_field(preview)})
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="importar_plan").count() == 1


def test_an_update_is_previewed_with_the_codes_that_change(staff, tmp_path):
    import_workbook(workbook=read_template(write_workbook(tmp_path / "v1.xlsx", small_plan())))
    sheets = small_plan()
    sheets["objetivos"][1][1] = "Segundo, renombrado"
    response = upload(staff, xlsx(tmp_path, sheets))
    text = text_of(response)
    assert "Se actualizará el plan existente" in text
    assert "objetivos 0 1 0" in text
    assert "Códigos afectados en «objetivos» Modificadas B" in text
    assert "Atención" not in text


def test_rows_to_be_removed_are_announced(staff, tmp_path):
    import_workbook(workbook=read_template(write_workbook(tmp_path / "v1.xlsx", small_plan())))
    sheets = small_plan()
    sheets["avances"].pop(1)
    text = text_of(upload(staff, xlsx(tmp_path, sheets)))
    assert "Atención: se eliminará 1 fila que está en la base de datos y no en el archivo." in text
    assert "Eliminadas S @ 2025-12-31" in text


def test_a_file_that_changes_nothing_says_so_and_offers_no_confirmation(staff, tmp_path):
    import_workbook(workbook=read_template(write_workbook(tmp_path / "v1.xlsx", small_plan())))
    response = upload(staff, xlsx(tmp_path))
    text = text_of(response)
    assert "El archivo no cambia nada" in text
    assert "Confirmar importación" not in text
    assert stored_files() == []


def test_a_zip_of_csv_files_is_accepted(staff, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, rows in small_plan().items():
            lines = [",".join("" if v is None else str(v) for v in row) for row in rows]
            archive.writestr(f"{name}.csv", "\n".join(lines) + "\n")
    response = upload(staff, SimpleUploadedFile("plan.zip", buffer.getvalue()))
    assert "Vista previa de la importación" in text_of(response)
    assert re.fullmatch(r"[0-9a-f]{32}\.zip", stored_files()[0].name)


def test_cancel_deletes_the_file_and_writes_nothing(staff, tmp_path):
    before = database_state()
    upload(staff, xlsx(tmp_path))
    response = staff.post(CANCEL)
    assert "Importación cancelada" in text_of(response)
    assert stored_files() == []
    assert PENDING not in staff.session
    assert database_state() == before


@pytest.mark.parametrize("damage", ["tampered", "missing"])
def test_a_tampered_or_missing_file_is_not_imported(staff, tmp_path, damage):
    preview = upload(staff, xlsx(tmp_path))
    (stored,) = stored_files()
    if damage == "tampered":
        sheets = small_plan()
        sheets["plan"][2][1] = "Otro nombre"  # still a valid workbook, but not the one previewed
        stored.write_bytes(write_workbook(tmp_path / "otro.xlsx", sheets).read_bytes())
    else:
        stored.unlink()
    before = database_state()
    response = staff.post(CONFIRM, {"archivo": confirm_field(preview)})
    assert response.status_code == 409
    text = text_of(response)
    assert "No se importó nada" in text
    if damage == "tampered":
        assert "cambió después de la vista previa" in text
    else:
        assert "ya no está disponible" in text
    assert database_state() == before
    assert stored_files() == []
    assert PENDING not in staff.session


def test_a_preview_left_in_another_tab_cannot_confirm_a_later_upload(staff, tmp_path):
    first = upload(staff, xlsx(tmp_path))
    sheets = small_plan()
    sheets["plan"][2][1] = "Segunda carga"
    upload(staff, xlsx(tmp_path, sheets))
    before = database_state()
    response = staff.post(CONFIRM, {"archivo": confirm_field(first)})
    assert response.status_code == 409
    assert "ya no es la vigente" in text_of(response)
    assert database_state() == before
    assert len(stored_files()) == 1  # the first file was replaced by the second


def test_changes_made_after_the_preview_are_shown_again_before_importing(staff, tmp_path):
    preview = upload(staff, xlsx(tmp_path))
    # Meanwhile someone else imports the plan: confirming would now update, not create.
    import_workbook(workbook=read_template(write_workbook(tmp_path / "v0.xlsx", small_plan())))
    before = database_state()
    response = staff.post(CONFIRM, {"archivo": confirm_field(preview)})
    assert response.status_code == 409
    text = text_of(response)
    assert "Los datos cambiaron desde la vista previa" in text
    assert "El archivo no cambia nada" in text
    assert database_state() == before


def test_a_refused_import_is_explained(staff, tmp_path):
    call_command("demo", verbosity=0)  # its 31 March 2026 cut is published
    sample = read_template(SAMPLE)
    objectives = tuple(
        replace(
            o,
            indicators=tuple(
                replace(i, progress={**i.progress, CUT: Progress(Decimal(3), Decimal(9), "otro")})
                if i.code == "4075"
                else i
                for i in o.indicators
            ),
        )
        for o in sample.spec.objectives
    )
    path = tmp_path / "corregido.xlsx"
    write_plan(replace(sample, spec=replace(sample.spec, objectives=objectives)), path)
    before = database_state()
    response = upload(staff, SimpleUploadedFile("corregido.xlsx", path.read_bytes()))
    text = text_of(response)
    assert "La importación no es posible" in text
    assert "El corte 2026-03-31 está publicado" in text
    assert database_state() == before
    assert stored_files() == []


def test_the_empty_template_can_be_downloaded(staff, tmp_path):
    response = staff.get("/importar/plantilla.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="plantilla_cascada_v1.xlsx"'
    path = tmp_path / "t.xlsx"
    path.write_bytes(response.content)
    assert zipfile.is_zipfile(path)


def test_stale_uploads_are_removed_after_a_day(staff, tmp_path):
    upload(staff, xlsx(tmp_path))
    (old,) = stored_files()
    uploads.remove_stale(now=old.stat().st_mtime + uploads.STALE_AFTER_SECONDS + 1)
    assert stored_files() == []


def test_a_session_pointing_outside_the_uploads_folder_is_refused(staff, tmp_path):
    upload(staff, xlsx(tmp_path))
    session = staff.session
    session[PENDING] = {**session[PENDING], "file": "../../etc/passwd", "preview": "x"}
    session.save()
    before = database_state()
    response = staff.post(CONFIRM, {"archivo": "../../etc/passwd"})
    assert response.status_code == 409
    assert database_state() == before
