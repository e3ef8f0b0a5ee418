"""drugstats validate: the bad-input corpus, each with its exact messages, and the good paths."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time

import pytest
import yaml

from drugstats import DATA_DIR, cli
from drugstats.claims import load
from drugstats.errors import DataError
from drugstats.official import series

from .conftest import MINIMAL, ROOT

CORPUS = ROOT / "tests" / "bad_inputs"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text())


def test_corpus_has_an_expectation_for_every_case():
    cases = {p.name for p in CORPUS.glob("*.yaml")} - {"expected.yaml"}
    assert len(cases) >= 40
    assert cases == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_fails_with_exact_messages(name, capsys):
    path = CORPUS / name
    code = cli.main(["--data", str(MINIMAL), "validate", str(path)])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[:-1] == [line.replace("{path}", str(path)) for line in EXPECTED[name]]
    assert err[-1] == f"{len(EXPECTED[name])} problem(s) found"
    assert "Traceback" not in "\n".join(err)


def test_minimal_dataset_loads():
    dataset = load.load_dataset(MINIMAL)
    assert (len(dataset.claims), len(dataset.statements), len(dataset.sources)) == (3, 1, 1)


def test_validate_without_file_checks_what_the_dashboard_loads_and_says_so(capsys):
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[0].endswith(" sources: OK")
    held = series.load_series(DATA_DIR).datasets  # what the data hold now, so a new release or dataset keeps this true
    files = sum(len(meta.files) for meta in held.values())
    assert re.fullmatch(
        rf"{files} raw files of {len(held)} datasets \(metadata, sha256, [0-9,]+ rows\), [0-9]+ reference values: OK", out[1]
    )


def test_validate_without_file_fails_on_what_the_dashboard_would_refuse(tmp_path, capsys):
    # Finding 6: the raw files, their checksums and metadata, the reference values; not only the claims.
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    raw = data / "raw" / "cbp-seizures" / "nationwide-drugs-fy19-fy22.csv"
    raw.write_bytes(raw.read_bytes() + b"\n")
    (data / "reference_values.yaml").write_text("- id: x\n  value: !!python/name:os.system ''\n", encoding="utf-8")
    meta = data / "raw" / "cdc-vsrr" / "metadata.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("license:", "&a license:"), encoding="utf-8")
    assert cli.main(["--data", str(data), "validate"]) == 1
    err = capsys.readouterr().err.replace(str(data), "data")
    assert "data/raw/cbp-seizures/nationwide-drugs-fy19-fy22.csv: -: sha256: the file's sha256 is" in err
    assert "data/raw/cdc-vsrr/metadata.yaml:7: -: -: anchors and aliases (&name, *name) are not allowed" in err
    assert "value: the YAML tag !!python/name:os.system is not allowed" in err
    assert "Traceback" not in err


def test_a_bad_value_in_a_datasets_metadata_is_named_by_line_entry_field_and_value(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    meta = data / "raw" / "cdc-vsrr" / "metadata.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace("release_estimated: true", "release_estimated: maybe", 1), encoding="utf-8")
    line = text[: text.index("release_estimated: true")].count("\n") + 1
    assert cli.main(["--data", str(data), "validate"]) == 1
    err = capsys.readouterr().err.replace(str(data), "data")
    assert (
        f"data/raw/cdc-vsrr/metadata.yaml:{line}: cdc_api_provisional_overdose_counts.csv: release_estimated: "
        "Input should be a valid boolean (found 'maybe')"
    ) in err


def test_shipped_data_validates_through_python_m():
    result = subprocess.run([sys.executable, "-m", "drugstats", "validate"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    counts = result.stdout.split(":")[0]
    claims, statements, sources = (int(part.split()[0]) for part in counts.split(", "))
    assert claims >= 20 and statements >= 3 and sources >= 5
    assert result.stdout.endswith(": OK\n")


def test_user_file_may_cite_a_url_and_is_counted(tmp_path, capsys):
    claim = (MINIMAL / "claims" / "example.yaml").read_text().replace("source: example-article", "source: https://example.org/x")
    path = tmp_path / "mine.yaml"
    path.write_text(claim.replace("id: example-", "id: mine-"))
    assert cli.main(["--data", str(MINIMAL), "validate", str(path)]) == 0
    assert capsys.readouterr().out == "3 claims in 1 file(s), checked against 1 sources: OK\n"


def test_every_problem_in_a_file_is_reported_together(tmp_path):
    bad = tmp_path / "two.yaml"
    bad.write_text(
        (CORPUS / "value-with-thousands-separator.yaml").read_text()
        + (CORPUS / "bad-slug-id.yaml").read_text().replace("id: Bad_ID", "id: Bad_Two")
    )
    with pytest.raises(DataError) as caught:
        load.load_dataset(MINIMAL, extra_claim_files=[bad])
    assert [(p.record, p.field) for p in caught.value.problems] == [("ok-claim", "value"), ("Bad_Two", "id")]


def test_broken_shipped_file_is_named_with_its_data_relative_path(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "sources.yaml").write_text((data / "sources.yaml").read_text().replace("kind: news", "kind: blog"))
    with pytest.raises(DataError) as caught:
        load.load_dataset(data)
    messages = [str(p) for p in caught.value.problems]
    assert (
        messages[0]
        == "data/sources.yaml:3: example-article: kind: 'blog' is not one of: news, official_statement, official_data, reference"
    )
    # The claims citing the now-invalid source are reported too, not silently dropped.
    assert any("'example-article' is not a source id" in m for m in messages)


def test_deep_nesting_is_refused_fast_without_recursion_error(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("- id: deep\n  notes: " + "[" * 30_000 + "]" * 30_000 + "\n")
    started = time.perf_counter()
    with pytest.raises(DataError) as caught:
        load.load_dataset(MINIMAL, extra_claim_files=[path])
    assert time.perf_counter() - started < 5  # generous: guards against pathological parsing, not a benchmark
    assert caught.value.problems[0].message == "nested deeper than 8 levels"


def test_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * load.MAX_FILE_BYTES + b"\n")
    with pytest.raises(DataError) as caught:
        load.load_dataset(MINIMAL, extra_claim_files=[path])
    assert caught.value.problems[0].message.startswith("file is 1,000,003 bytes; the limit is")


def test_missing_file_is_a_clear_error(capsys):
    assert cli.main(["--data", str(MINIMAL), "validate", "no/such/file.yaml"]) == 1
    assert "no/such/file.yaml: -: -: cannot read file: No such file or directory" in capsys.readouterr().err
