"""An agency's indicator pages name the scope a figure is filed under as the report names it, a group
by its name and a body by its short name (engine.services.indicators.ScopeNames): a district's page
showed "@ubnd-cap-huyen" and "@ubnd-cap-xa", the catalog's codes, in the very list it files a figure
from, where a clerk could file the communes' figure against the districts' target."""

from __future__ import annotations

import re
from pathlib import Path

from sqlmodel import Session, select

from dondoc.engine.models import Indicator
from tests.factories import load_min_catalog
from tests.support.catalogs import with_items
from tests.support.web import WebEnv

SCOPED = "99/KH-TEST:II.9"
SCOPED_ITEM = f"""  - code: "{SCOPED}"
    section: "II.9"
    title: "Số hóa hồ sơ"
    content: "Số hóa hồ sơ đạt 90% ở cấp huyện, 70% ở huyện Bình Sơn."
    source: "Mục II.9"
    lead: [so-tttt]
    implementers: ["@ubnd-cap-huyen"]
    deadline: "Năm 2022"
    indicators:
      - code: so-hoa
        name: "Tỷ lệ số hóa hồ sơ"
        unit: "%"
        target: 90
        by_group:
          - {{agencies: ["@ubnd-cap-huyen"], target: 90}}
          - {{agencies: [ubnd-binh-son], target: 70}}
"""


def test_a_figures_scope_is_named_as_people_read_it(web: WebEnv, tmp_path: Path) -> None:
    directory = with_items(tmp_path, SCOPED_ITEM)
    with Session(web.engine) as session:
        load_min_catalog(session, web.clock.now(), directory)
        indicator = session.exec(select(Indicator.id).where(Indicator.code == "so-hoa")).one()
    token = web.link("agency:ubnd-binh-son")
    page = web.client.get(f"/a/{token}/indicators/{indicator}").text
    options = dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<(]+) \(', page.split('name="scope"', 1)[1]))
    assert options == {"@ubnd-cap-huyen": "UBND các huyện, thị xã, thành phố", "ubnd-binh-son": "UBND Bình Sơn"}
    status = page.split('id="status"', 1)[1].split("</table>", 1)[0]
    assert "UBND các huyện, thị xã, thành phố" in status and "@ubnd-cap-huyen" not in status
    home = web.client.get(f"/a/{token}").text.split('id="chi-tieu"', 1)[1]
    assert "— UBND các huyện, thị xã, thành phố" in home and "@ubnd-cap-huyen" not in home


def test_a_scope_of_a_body_and_a_group_names_both() -> None:
    """117/KH-UBND II.1.b sets one target for "Văn phòng UBND tỉnh, các sở, ban, ngành" (scope
    "vp-ubnd,@so-ban-nganh"): `dondoc indicators list` and the pages read "VP UBND tỉnh, @so-ban-nganh",
    a code of the catalog beside a body's name. Each part is named as people read it; a group's name has
    commas of its own, so the parts are set apart with a semicolon."""
    from dondoc.engine.services.indicators import ScopeNames

    names = ScopeNames(
        groups={"@so-ban-nganh": "Các sở, ban, ngành"}, shorts={"vp-ubnd": "VP UBND tỉnh", "so-tttt": "Sở TT&TT"}
    )
    assert names.of("vp-ubnd,@so-ban-nganh") == "VP UBND tỉnh; Các sở, ban, ngành"
    assert names.of("@so-ban-nganh") == "Các sở, ban, ngành"
    assert names.of("vp-ubnd,so-tttt") == "VP UBND tỉnh, Sở TT&TT"
