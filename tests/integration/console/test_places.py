"""The places pages: a form per place and offer, saved back round trip; the validator's
findings (P-codes) beside their fields; an invalid edit refused with the file unchanged."""

from __future__ import annotations

import re
from html import unescape

from tests.integration.console.staff_console import Console

EDIT = "/staff/places/edit?file=stadtteiltreffs.yaml&id=kaisers"


async def form_of(console: Console) -> tuple[str, dict[str, str]]:
    html = await (await console.client.get(EDIT)).text()
    values = dict(re.findall(r'<input [^>]*name="([^"]+)"[^>]* value="([^"]*)"', html))
    values.update(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    areas = re.findall(r'<textarea [^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', html)
    values.update(areas)
    return html, {name: unescape(value) for name, value in values.items()}


async def test_the_list_names_every_place_with_its_findings(console: Console) -> None:
    await console.login()
    html = await (await console.client.get("/staff/places")).text()
    assert "places/stadtteiltreffs.yaml" in html
    assert "KAISERS" in html
    assert "file=stadtteiltreffs.yaml&amp;id=kaisers" in html


async def test_the_form_shows_the_place_its_offers_and_their_warnings(console: Console) -> None:
    await console.login()
    html, values = await form_of(console)
    assert values["contact.phone"] == "+49 5151 576122"
    assert values["offer.0.name"] == "Südstadtstammtisch"
    assert values["topics"] == "meeting"
    assert "Angebot: Südstadtstammtisch" in html
    assert "P201" in html  # no opening hours: a warning of this place, shown on its form


async def test_an_edit_is_saved_round_trip(console: Console) -> None:
    await console.login()
    path = console.site / "places" / "stadtteiltreffs.yaml"
    before = path.read_text(encoding="utf-8")
    _, values = await form_of(console)
    values["contact.phone"] = "+49 5151 576123"
    values["languages"] = "de, en"
    response = await console.client.post("/staff/places/edit", data=values)
    assert response.status == 200
    assert "Gespeichert" in await response.text()
    after = path.read_text(encoding="utf-8")
    expected = before.replace(
        '      phone: "+49 5151 576122"\n', '      phone: "+49 5151 576123"\n'
    )
    expected = expected.replace("    languages: [de]\n", "    languages: [de, en]\n", 1)
    assert after == expected  # only the two edited lines differ: comments, quotes kept
    place = console.app.content.directory.place("kaisers")  # type: ignore[union-attr]
    assert place is not None
    assert "+49 5151 576123" in str(place)
    changes = await console.app.staff.changes(file="places/stadtteiltreffs.yaml")
    assert {(c.key, c.old, c.new) for c in changes} == {
        ("kaisers.contact.phone", "+49 5151 576122", "+49 5151 576123"),
        ("kaisers.languages", "de", "de, en"),
    }


async def test_an_invalid_edit_is_refused_with_its_p_code_beside_the_field(
    console: Console,
) -> None:
    await console.login()
    path = console.site / "places" / "stadtteiltreffs.yaml"
    before = path.read_bytes()
    running = console.app.content
    _, values = await form_of(console)
    values["contact.phone"] = "05151 576122"
    response = await console.client.post("/staff/places/edit", data=values)
    html = await response.text()
    assert response.status == 422
    field = html.split('id="contact.phone"', 1)[1].split("</div>", 1)[0]
    assert "P110" in field  # the finding stands beside its field
    assert 'aria-invalid="true"' in html.split('id="contact.phone"', 1)[0][-200:] + field
    assert 'value="05151 576122"' in field  # the typed value stays in the form
    assert path.read_bytes() == before
    assert console.app.content is running


async def test_an_unknown_file_or_place_is_not_found(console: Console) -> None:
    await console.login()
    for query in ("file=../config.yaml&id=kaisers", "file=stadtteiltreffs.yaml&id=nowhere"):
        response = await console.client.get(f"/staff/places/edit?{query}")
        assert response.status == 404


async def test_a_place_edit_can_be_previewed_unsaved(console: Console) -> None:
    await console.login()
    path = console.site / "places" / "stadtteiltreffs.yaml"
    before = path.read_bytes()
    _, values = await form_of(console)
    values["contact.phone"] = "+49 5151 576123"
    response = await console.client.post(
        "/staff/places/edit", data={**values, "action": "preview"}
    )
    html = await response.text()
    assert response.status == 200
    assert "Vorschau-Chat öffnen" in html
    assert 'value="+49 5151 576123"' in html  # the form keeps the edit
    link = re.search(r'href="(/staff/preview/[^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert (await console.client.get(unescape(link))).status == 200
    assert path.read_bytes() == before
    invalid = await console.client.post(
        "/staff/places/edit", data={**values, "contact.phone": "0515", "action": "preview"}
    )
    assert invalid.status == 422
    assert "P110" in (await invalid.text()).split('id="contact.phone"', 1)[1].split("</div>")[0]
