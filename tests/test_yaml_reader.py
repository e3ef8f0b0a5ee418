"""The hardened YAML reader (drugstats.claims.yamlread) on every YAML file, metadata.yaml included (issue 13, findings 1, 7)."""

from __future__ import annotations

import shutil
import time
from datetime import date

import pytest
import yaml

from drugstats.claims import load, yamlread
from drugstats.claims.models import Ambiguous
from drugstats.errors import DataError
from drugstats.official import series
from drugstats.verdicts import pipeline

from .conftest import MINIMAL, ROOT

ALIAS_BOMB = (
    'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)


@pytest.fixture
def data_copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    return data


def metadata_problems(data, text: str) -> list[str]:
    path = data / "raw" / "cdc-vsrr" / "metadata.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        series.load_series(data)
    return [str(p).replace(str(data), "data") for p in caught.value.problems]


def test_an_alias_bomb_in_metadata_is_refused_at_its_first_anchor(data_copy):
    meta = (data_copy / "raw" / "cdc-vsrr" / "metadata.yaml").read_text(encoding="utf-8")
    started = time.perf_counter()
    problems = metadata_problems(data_copy, ALIAS_BOMB + meta)
    assert time.perf_counter() - started < 5
    assert problems == [
        "data/raw/cdc-vsrr/metadata.yaml:1: -: -: anchors and aliases (&name, *name) are not allowed: write each value out"
    ]


def test_metadata_nested_5000_deep_is_refused_without_recursion_error(data_copy):
    meta = (data_copy / "raw" / "cdc-vsrr" / "metadata.yaml").read_text(encoding="utf-8")
    problems = metadata_problems(data_copy, meta + "extra: " + "[" * 5000 + "]" * 5000 + "\n")
    assert len(problems) == 1 and problems[0].endswith(": -: -: nested deeper than 8 levels")


def test_a_python_tag_in_metadata_is_refused_on_its_field(data_copy):
    meta = (data_copy / "raw" / "cdc-vsrr" / "metadata.yaml").read_text(encoding="utf-8")
    line = meta[: meta.index("rows: 129")].count("\n") + 1
    problems = metadata_problems(data_copy, meta.replace("rows: 129", "rows: !!python/name:os.system ''", 1))
    assert problems == [
        f"data/raw/cdc-vsrr/metadata.yaml:{line}: -: rows: the YAML tag !!python/name:os.system is not allowed: "
        "write the value without a tag, in quotes if it is text"
    ]


def test_a_duplicate_key_in_metadata_is_refused(data_copy):
    meta = (data_copy / "raw" / "cdc-vsrr" / "metadata.yaml").read_text(encoding="utf-8")
    problems = metadata_problems(data_copy, meta.replace("dataset: cdc-vsrr\n", "dataset: cdc-vsrr\ndataset: cbp-seizures\n"))
    assert len(problems) == 1 and problems[0].endswith(": -: dataset: duplicate key (first given on line 3)")


def test_the_dashboard_build_refuses_a_bad_metadata_file_as_data_error(data_copy):
    path = data_copy / "raw" / "cbp-seizures" / "metadata.yaml"
    path.write_text(ALIAS_BOMB + path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(DataError, match="anchors and aliases"):
        pipeline.build(data_copy)


# Plain scalars read exactly as SafeLoader reads them, where that reading is unsurprising.
@pytest.mark.parametrize(
    "text",
    ["12", "-3", "+4", "1_000", "0", "2.5", "1.0e+3", "-.5", "1e3", "true", "False", "null", "~", "", "2023-02-28",
     "2022-10-01T10:00:00", "2002-1-1", "text, with comma", "'12'", '"true"', "!!str 12", "|\n  block\n"],
)  # fmt: skip
def test_plain_values_read_as_safe_loader_reads_them(text):
    node = yamlread.parse(f"k: {text}\n".encode())
    assert yamlread.plain_data(node, []) == yaml.safe_load(f"k: {text}\n")


@pytest.mark.parametrize(
    ("text", "reading"),
    [("NO", "the boolean false"), ("on", "the boolean true"), ("012", "the number 10"), ("0x1A", "the number 26"),
     ("10:30", "the number 630"), (".inf", "the number inf"), ("Null", "nothing (null)")],
)  # fmt: skip
def test_yaml_11_surprises_are_kept_ambiguous(text, reading):
    got = yamlread.value(yamlread.parse(f"- {text}\n".encode()).items[0])
    assert isinstance(got, Ambiguous) and got.raw == text and got.reading == reading


@pytest.mark.parametrize(
    "tag", ["!custom", "!!python/object/apply:os.system", "!!timestamp", "!!float", "!!int", "!", "!!binary"]
)
def test_every_tag_but_str_is_refused(tag):
    with pytest.raises(yamlread.YamlRefused, match="is not allowed"):
        yamlread.value(yamlread.parse(f'- {tag} "2024-01-01"\n'.encode()).items[0])


def test_tagged_collections_are_refused():
    with pytest.raises(yamlread.YamlRefused, match=r"the YAML tag !!set is not allowed") as caught:
        yamlread.parse(b"- id: x\n- !!set {a: null}\n")
    assert caught.value.line == 2


def test_a_missing_libyaml_is_a_clear_problem_not_a_crash(monkeypatch, tmp_path):
    monkeypatch.setattr(yamlread, "CParser", None)
    with pytest.raises(DataError) as caught:
        load.load_dataset(MINIMAL)
    assert "PyYAML was installed without libyaml" in caught.value.problems[0].message


def test_an_impossible_date_in_a_longer_form_is_refused():
    with pytest.raises(yamlread.YamlRefused, match="is not a real date"):
        yamlread.value(yamlread.parse(b"- 2023-02-30T10:00:00\n").items[0])


def test_yaml_11_merge_and_value_keys_are_text_in_a_value():
    # SafeLoader raises ConstructorError on a plain `=` value; here both are the text as written.
    assert yamlread.plain_data(yamlread.parse(b"a: <<\nb: =\n"), []) == {"a": "<<", "b": "="}


def test_dates_read_fast_are_dates():
    assert yamlread.value(yamlread.parse(b"- 2024-02-29\n").items[0]) == date(2024, 2, 29)
