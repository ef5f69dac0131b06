"""Pydantic's reasons in Vietnamese (engine.pydantic_vi): strict bounds said as strict, any kind in Vietnamese."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, Field, ValidationError

from dondoc.engine.pydantic_vi import reason_vi


class _Bounds(BaseModel):
    above: Annotated[int, Field(gt=0)] = 1
    below: Annotated[int, Field(lt=10)] = 1
    at_least: Annotated[int, Field(ge=1)] = 1
    names: Annotated[list[str], Field(max_length=2)] = []
    link: Annotated[str, Field()] = ""


def _reason(**given: object) -> str:
    with pytest.raises(ValidationError) as raised:
        _Bounds.model_validate(given)
    return reason_vi(raised.value.errors()[0])


def test_strict_bounds_do_not_admit_the_bound() -> None:
    """'gt=0' had read "phải từ 0 trở lên" (0 allowed) and 'lt=10' "nhỏ hơn hoặc bằng 10"."""
    assert _reason(above=0) == 'phải lớn hơn 0, nhận được "0"'
    assert _reason(below=10).startswith("phải nhỏ hơn 10,")
    assert _reason(at_least=0).startswith("phải từ 1 trở lên,")


def test_every_kind_is_said_in_vietnamese() -> None:
    assert _reason(names=["a", "b", "c"]) == "không được quá 2 phần tử"
    other = _reason(link=[1])  # a list where text is wanted: string_type, listed
    assert other.startswith("cần một chuỗi ký tự")
    unknown = reason_vi({"type": "url_parsing", "loc": ("x",), "msg": "Input should be a valid URL", "input": "x"})  # type: ignore[typeddict-item]
    assert unknown == 'giá trị không hợp lệ (url_parsing), nhận được "x"' and "should" not in unknown


def test_a_value_quoted_back_can_always_be_sent() -> None:
    """A kind not listed quoted the value: a lone surrogate (a JSON escape) then broke the answer itself."""
    odd = reason_vi({"type": "url_parsing", "loc": ("x",), "msg": "", "input": "a\ud800"})  # type: ignore[typeddict-item]
    assert odd == 'giá trị không hợp lệ (url_parsing), nhận được "a\\ud800"'
    odd.encode("utf-8")
    long = reason_vi({"type": "url_parsing", "loc": ("x",), "msg": "", "input": "x" * 1000})  # type: ignore[typeddict-item]
    assert len(long) < 120 and long.endswith('…"')


def test_a_number_that_is_not_finite_is_said_in_words() -> None:
    """The API's percent as NaN or Infinity (Python's JSON reads them) was refused as "giá trị không hợp lệ
    (finite_number), nhận được giá trị này": pydantic's code, nothing of what was wrong."""
    said = reason_vi({"type": "finite_number", "loc": ("percent",), "msg": "", "input": float("nan")})  # type: ignore[typeddict-item]
    assert said == "phải là một số hữu hạn (không nhận NaN hay Infinity)" and "finite_number" not in said
