"""Every file read one bounded way: no FIFO, device, folder or link out of the data folder; sizes capped (issue 13)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from drugstats import cli
from drugstats.claims import files, load
from drugstats.errors import DataError
from drugstats.official import series

from .conftest import ROOT


@pytest.fixture
def data(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    return copy


def refused(path, limit=1000, root=None) -> str:
    with pytest.raises(files.FileRefused) as caught:
        files.read_bytes(path, limit, "shown.yaml", root=root)
    assert len(caught.value.problems) == 1
    return str(caught.value.problems[0])


# --- files.read_bytes ------------------------------------------------------------------------


def test_a_regular_file_within_its_limit_is_read(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 1000)
    assert files.read_bytes(path, 1000) == b"x" * 1000


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    assert refused(tmp_path / "pipe.yaml") == "shown.yaml: -: -: is a named pipe (FIFO), not a regular file"


def test_a_device_a_folder_and_a_link_to_a_device_are_refused(tmp_path):
    assert refused("/dev/zero") == "shown.yaml: -: -: is a character device, not a regular file"
    assert refused(tmp_path) == "shown.yaml: -: -: is a folder, not a regular file"
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    assert refused(tmp_path / "zero.yaml") == "shown.yaml: -: -: is a character device, not a regular file"


def test_a_link_out_of_the_data_folder_is_refused_one_inside_is_followed(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"root:x:0:0")
    (root / "out.yaml").symlink_to(outside)
    assert refused(root / "out.yaml", root=root) == (
        "shown.yaml: -: -: is a symbolic link to a file outside the data folder: copy the file in instead"
    )
    (root / "real.yaml").write_bytes(b"- id: x\n")
    (root / "in.yaml").symlink_to(root / "real.yaml")
    assert files.read_bytes(root / "in.yaml", 100, root=root) == b"- id: x\n"
    assert files.read_bytes(root / "out.yaml", 100) == b"root:x:0:0"  # a user's own file: no data folder to keep in


def test_a_dangling_link_and_a_missing_file_are_told_apart(tmp_path):
    (tmp_path / ".#x.yaml").symlink_to("user@host.1234:1700000000")  # how Emacs marks a file being edited
    assert refused(tmp_path / ".#x.yaml") == "shown.yaml: -: -: is a symbolic link to nothing (its target does not exist)"
    with pytest.raises(files.FileRefused) as caught:
        files.read_bytes(tmp_path / "nope.yaml", 10, "shown.yaml")
    assert caught.value.missing and str(caught.value.problems[0]) == "shown.yaml: -: -: is missing"


def test_the_size_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 1001)
    assert refused(path) == "shown.yaml: -: -: file is 1,001 bytes; the limit is 1,000"


def test_an_unreadable_file_is_named(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = tmp_path / "locked.yaml"
    path.write_bytes(b"- id: x\n")
    path.chmod(0)
    assert refused(path) == "shown.yaml: -: -: cannot read file: Permission denied"


def test_a_yaml_folder_lists_visible_yaml_files_and_reports_a_missing_folder(tmp_path):
    for name in ("b.yaml", "a.yml", ".hidden.yaml", "notes.txt", "b.yaml~"):
        (tmp_path / name).write_text("")
    (tmp_path / ".#b.yaml").symlink_to("user@host.1:2")
    assert files.yaml_files(tmp_path, "claims") == ([tmp_path / "a.yml", tmp_path / "b.yaml"], [])
    found, problems = files.yaml_files(tmp_path / "nope", "data/nope")
    assert found == [] and [str(p) for p in problems] == ["data/nope: -: -: the folder is missing"]


# --- the raw datasets ------------------------------------------------------------------------


def test_a_raw_file_name_must_stay_in_its_folder(data):
    meta = data / "raw" / "cdc-vsrr" / "metadata.yaml"
    text = meta.read_text()
    for name, why in (
        ("/etc/passwd", "must be a file name in this folder, not a path, got '/etc/passwd'"),
        ("../../sources.yaml", "must be a file name in this folder, not a path, got '../../sources.yaml'"),
        ("..", "must name a file, got '..'"),
        (".hidden.csv", "must be a file name in this folder, not a path or a hidden file, got '.hidden.csv'"),
    ):
        meta.write_text(text.replace("name: cdc_api_provisional_overdose_counts.csv", f"name: {name!r}"))
        line = text[: text.index("name: cdc_api_provisional_overdose_counts.csv")].count("\n") + 1
        meta_out, contents, problems = series.read_dataset(data, "cdc-vsrr")
        assert meta_out is None and contents == {}
        assert [str(p) for p in problems] == [f"{meta}:{line}: {name}: name: {why}"]


def test_a_raw_file_that_is_a_folder_or_a_fifo_is_a_problem_not_a_crash(data):
    folder = data / "raw" / "cdc-vsrr"
    raw = folder / "cdc_api_provisional_overdose_counts.csv"
    raw.unlink()
    raw.mkdir()
    with pytest.raises(DataError) as caught:
        series.load_series(data)
    assert f"{raw}: -: -: is a folder, not a regular file" in [str(p) for p in caught.value.problems]
    raw.rmdir()
    os.mkfifo(raw)
    with pytest.raises(DataError) as caught:
        series.load_series(data)
    assert f"{raw}: -: -: is a named pipe (FIFO), not a regular file" in [str(p) for p in caught.value.problems]


def test_a_metadata_file_that_is_a_fifo_or_not_utf8_is_a_problem(data):
    meta = data / "raw" / "cbp-seizures" / "metadata.yaml"
    meta.write_bytes(b"dataset: cbp-seizures\nproducer: \xff\n")
    (problem,) = series.read_dataset(data, "cbp-seizures")[2]  # the YAML reader's own words (test_yaml_reader)
    assert problem.path == str(meta) and "not UTF-8" in problem.message
    meta.unlink()
    os.mkfifo(meta)
    assert [str(p) for p in series.read_dataset(data, "cbp-seizures")[2]] == [
        f"{meta}: -: -: is a named pipe (FIFO), not a regular file"
    ]


def test_a_raw_file_linked_from_outside_the_data_folder_is_refused(data, tmp_path):
    raw = data / "raw" / "cbp-seizures" / "nationwide-drugs-fy19-fy22.csv"
    outside = tmp_path / "elsewhere.csv"
    shutil.move(raw, outside)
    raw.symlink_to(outside)
    problems = [str(p) for p in series.read_dataset(data, "cbp-seizures")[2]]
    assert problems == [f"{raw}: -: -: is a symbolic link to a file outside the data folder: copy the file in instead"]


# --- claims files and FILE arguments -----------------------------------------------------------


def validate(data: Path, *paths, capsys) -> tuple[int, list[str]]:
    code = cli.main(["--data", str(data), "validate", *map(str, paths)])
    return code, capsys.readouterr().err.splitlines()


def test_validate_of_a_fifo_or_dev_zero_says_so_in_one_line(data, tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.yaml")
    assert validate(data, tmp_path / "pipe.yaml", capsys=capsys) == (
        1,
        [f"{tmp_path / 'pipe.yaml'}: -: -: is a named pipe (FIFO), not a regular file", "1 problem(s) found"],
    )
    assert validate(data, "/dev/zero", capsys=capsys) == (
        1,
        ["/dev/zero: -: -: is a character device, not a regular file", "1 problem(s) found"],
    )


def test_a_claims_file_over_the_limit_is_refused_before_it_is_read(data, tmp_path, capsys):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (load.MAX_FILE_BYTES + 1))
    assert validate(data, big, capsys=capsys)[1][0] == f"{big}: -: -: file is 1,000,001 bytes; the limit is 1,000,000"


def test_a_fifo_a_device_link_and_a_link_out_in_claims_are_problems_not_a_hang(data, capsys):
    claims = data / "claims"
    os.mkfifo(claims / "pipe.yaml")
    (claims / "zero.yaml").symlink_to("/dev/zero")
    (claims / "passwd.yaml").symlink_to("/etc/passwd")
    code, err = validate(data, capsys=capsys)
    assert code == 1
    assert err == [
        "data/claims/passwd.yaml: -: -: is a symbolic link to a file outside the data folder: copy the file in instead",
        "data/claims/zero.yaml: -: -: is a symbolic link to a file outside the data folder: copy the file in instead",
        "data/claims/pipe.yaml: -: -: is a named pipe (FIFO), not a regular file",
        "3 problem(s) found",
    ]


def test_editor_lock_files_and_hidden_files_are_not_loaded(data, capsys):
    claims = data / "claims"
    shipped = len(load.load_dataset(data).claims)
    (claims / ".#official-figures.yaml").symlink_to("user@host.4242:1700000000")  # Emacs's lock: a link to nothing
    shutil.copyfile(claims / "official-figures.yaml", claims / ".official-figures.yaml")  # would repeat every id
    assert validate(data, capsys=capsys) == (0, [])
    assert len(load.load_dataset(data).claims) == shipped


def test_a_missing_claims_or_statements_folder_is_an_error_not_zero_claims(data, capsys):
    shutil.rmtree(data / "claims")
    assert validate(data, capsys=capsys) == (1, ["data/claims: -: -: the folder is missing", "1 problem(s) found"])
    (data / "claims").write_text("not a folder")
    shutil.rmtree(data / "statements")
    assert validate(data, capsys=capsys)[1] == [
        "data/claims: -: -: is not a folder",
        "data/statements: -: -: the folder is missing",
        "2 problem(s) found",
    ]
