"""``dondoc indicators list|report`` run as a user would: the command through its entry point (in-process)."""

from __future__ import annotations

import json
import subprocess

from tests.support.catalogs import MIN_CATALOG
from tests.support.cli import dondoc, ok, one_line_error


def indicators(db_url: str, *args: str, now: str) -> subprocess.CompletedProcess[str]:
    return dondoc(db_url, "indicators", *args, now=now)


def test_list_and_report_actuals(db_url: str) -> None:
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    listed = json.loads(ok(indicators(db_url, "list", "--agency", "ubnd-binh-son", "--json", now="2022-03-02")))
    assert [v["name"] for v in listed] == ["Tỷ lệ hồ sơ trực tuyến"]
    (target,) = listed[0]["targets"]
    assert target["target"] == 20 and [p["code"] for p in target["periods"]] == ["2022-H1", "2022"]
    assert {p["status"] for p in target["periods"]} == {"not_assessable"} and listed[0]["history"] == []
    indicator = str(listed[0]["indicator_id"])

    done = ok(
        indicators(
            db_url,
            "report",
            indicator,
            "--agency",
            "ubnd-binh-son",
            "--period",
            "2022-H1",
            "--value",
            "72.5",
            "--note",
            "Số liệu đến 14/6",
            now="2022-06-20",
        )
    )
    assert "2022-H1: 72,5 %" in done and "2022-H1: Đạt" in done
    # looked at as of the day before it was sent, the figure is not there yet
    before = json.loads(ok(indicators(db_url, "list", "--agency", "ubnd-binh-son", "--json", now="2022-06-19")))
    assert {p["status"] for p in before[0]["targets"][0]["periods"]} == {"not_assessable"}
    after = json.loads(ok(indicators(db_url, "list", "--agency", "ubnd-binh-son", "--json", now="2022-06-20T12:00")))
    assert "not_assessable" not in {p["status"] for p in after[0]["targets"][0]["periods"] if p["code"] == "2022-H1"}
    one_line_error(
        indicators(
            db_url,
            "report",
            indicator,
            "--agency",
            "ubnd-binh-son",
            "--period",
            "2022-H1",
            "--value",
            "130",
            now="2022-06-21",
        ),
        "tỷ lệ phải từ 0 đến 100",
    )
    one_line_error(
        indicators(
            db_url,
            "report",
            indicator,
            "--agency",
            "ubnd-binh-son",
            "--period",
            "2022-H1",
            "--value",
            "30",
            "--as",
            "ubnd-ly-son",
            now="2022-06-21",
        ),
        # in words, not codes: "ubnd-ly-son không được thực hiện "report_actual": chỉ ubnd-binh-son …"
        "UBND huyện Lý Sơn không được báo cáo số liệu này: chỉ UBND huyện Bình Sơn hoặc Tổ giúp việc được báo cáo.",
    )
    one_line_error(
        indicators(db_url, "list", "--agency", "so-y-te", now="2022-06-21"), "Không tìm thấy cơ quan so-y-te"
    )
    one_line_error(  # the same refusal as the agency's page: 2022-H1 closed on 30/6
        indicators(
            db_url,
            "report",
            indicator,
            "--agency",
            "ubnd-binh-son",
            "--period",
            "2022-H1",
            "--value",
            "40",
            now="2022-07-01",
        ),
        'Kỳ báo cáo "2022-H1" không mở để báo cáo',
    )
    ok(
        indicators(
            db_url,
            "report",
            indicator,
            "--agency",
            "ubnd-binh-son",
            "--period",
            "2022",
            "--value",
            "18",
            "--as",
            "secretariat",
            now="2022-07-01",
        )
    )

    (view,) = json.loads(ok(indicators(db_url, "list", "--agency", "ubnd-binh-son", "--json", now="2022-07-01")))
    periods = {p["code"]: p for p in view["targets"][0]["periods"]}
    assert list(periods) == ["2022-H2", "2022"]
    assert periods["2022"]["actual"] == 18 and periods["2022"]["status"] == "amber"  # 18 against 20, mid-year
    assert [(h["value"], h["reported_by"]) for h in view["history"]] == [(18, "secretariat"), (72.5, "ubnd-binh-son")]
    text = ok(indicators(db_url, "list", "--agency", "ubnd-binh-son", now="2022-07-01"))
    assert "Tỷ lệ hồ sơ trực tuyến" in text and "≥ 20 %" in text and "1 chỉ tiêu" in text


def test_a_value_is_digits_and_a_decimal_point(db_url: str) -> None:
    """--value "1_0" was recorded as 10 and "٣" (an Arabic-Indic three) as 3 (Python's float); "1e1"
    as 10. Each is one line naming --value, nothing written; "72.5" still reads."""
    ok(dondoc(db_url, "db", "upgrade"))
    ok(dondoc(db_url, "catalog", "load", "--dir", str(MIN_CATALOG), now="2022-03-02"))
    listed = json.loads(ok(indicators(db_url, "list", "--agency", "ubnd-binh-son", "--json", now="2022-03-02")))
    indicator = str(listed[0]["indicator_id"])
    sent = ["report", indicator, "--agency", "ubnd-binh-son", "--period", "2022-H1", "--value"]
    for typed in ("1_0", "٣", "1e1", "nan"):
        said = f'--value "{typed}" không phải là một số (ví dụ 72.5)'
        one_line_error(indicators(db_url, *sent, typed, now="2022-06-20"), said)
    after = json.loads(ok(indicators(db_url, "list", "--agency", "ubnd-binh-son", "--json", now="2022-06-20T12:00")))
    assert after[0]["history"] == []
    assert "2022-H1: 72,5 %" in ok(indicators(db_url, *sent, "72.5", now="2022-06-20"))
