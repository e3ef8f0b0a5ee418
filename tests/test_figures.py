"""Static figures: every chart of the dashboard in its default view, drawn as the pages draw it, and figures/ in step.

The render tests need chromium for kaleido; without it they skip, unless DRUGSTATS_REQUIRE_BROWSER=1 (CI), where
they fail. If a test here fails after a data change, refresh the committed figures (see README, "Figures"):
    python -m drugstats figures --out figures
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from drugstats import DATA_DIR, cli
from drugstats.publish import charts
from drugstats.site import figures
from drugstats.verdicts import pipeline
from tests.stserver import CHROMIUM, CHROMIUM_ARGS

from .conftest import require_chromium

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "figures"
REFRESH = "figures/ is out of step with the data or the charts: python -m drugstats figures --out figures"
SVG = "{http://www.w3.org/2000/svg}"

EXPECTED = [
    "verdicts-summary",
    "overdose-deaths-us",
    "revisions-us-all-drugs-2017-05",  # the window most releases held count (a refresh may move it: regenerate)
    "seizures-by-fiscal-year-lb",
    "seizures-by-month-lb",
    "seizures-year-to-date-lb",
    "relative-potency",
    *(f"claim-{claim_id}" for claim_id in figures.SEED_CLAIMS),
]
# page file -> the default figures it draws, in order
PAGE_FIGURES = {
    "views/overview.py": ["overdose-deaths-us", "verdicts-summary"],  # the deaths line leads the Overview
    "views/deaths.py": ["overdose-deaths-us", "revisions-us-all-drugs-2017-05"],  # counts, then a window across releases
    "views/seizures.py": ["seizures-by-fiscal-year-lb", "seizures-by-month-lb", "seizures-year-to-date-lb"],
    "views/potency.py": ["relative-potency"],
}


@pytest.fixture(scope="module")
def build() -> pipeline.Build:
    return pipeline.build(DATA_DIR)


@pytest.fixture(scope="module")
def default(build) -> dict[str, charts.Figure]:
    return figures.default_figures(build)


def _squash(text: str) -> str:
    """Text without whitespace: SVG splits wrapped lines into tspans, so spaces at line breaks are lost."""
    return "".join(text.split())


# --------------------------------------------------------------------------------- the set of figures


def test_default_figures_are_every_chart_of_the_dashboard_with_a_citation(default, build):
    assert list(default) == EXPECTED
    keys = set()
    for name, figure in default.items():
        assert figure.name == name
        assert figure.title and figure.sources and len(figure.rows) > 0, name
        assert f"{figure.title} [chart]" in figure.citation.plain, name
        assert f"reviewed {build.reviewed_on}" in figure.citation.plain
        assert all(source.text in figure.citation.plain for source in figure.sources), name
        key = re.match(r"@misc\{([^,]+),", figure.citation.bibtex).group(1)
        keys.add(key)
    assert len(keys) == len(default)  # two claims' charts never share a BibTeX key
    claim = default["claim-dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023"]
    assert claim.page == "claims?claim=dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023"
    assert "wrong measure" in claim.title


@pytest.mark.parametrize(("page", "names"), PAGE_FIGURES.items())
def test_each_page_draws_exactly_the_default_figures(default, page, names):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception
    drawn = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert drawn == [json.loads(default[name].figure.to_json()) for name in names]


def test_each_seed_claim_page_draws_its_default_figure(default):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.run()
    at.switch_page("views/claims.py")
    for claim_id in figures.SEED_CLAIMS:
        at.query_params.clear()
        at.query_params["claim"] = claim_id
        at.run()
        chart = at.get("plotly_chart")[0]  # the claim's chart; a death claim's window across releases may follow
        assert json.loads(chart.proto.spec) == json.loads(default[f"claim-{claim_id}"].figure.to_json()), claim_id


# --------------------------------------------------------------------------------- committed files, no browser needed


def test_committed_folder_holds_exactly_the_figures_files(default):
    expected = {name for figure in default.values() for name in figures.files_of(figure)} | {"plotly.min.js", "README.md"}
    assert {p.name for p in COMMITTED.iterdir()} == expected | {figures.MANIFEST, figures.CLAIM_IMAGES}, REFRESH
    assert set((COMMITTED / figures.MANIFEST).read_text().splitlines()) == expected, REFRESH


def test_committed_claim_images_are_exactly_the_claims_with_a_chart(build):
    with_chart = figures.claims_with_charts(build)
    assert len(with_chart) > 50  # most claims have a series to be drawn over
    expected = {figures.claim_image(COMMITTED, claim_id).name for claim_id in with_chart}
    folder = COMMITTED / figures.CLAIM_IMAGES
    assert {p.name for p in folder.iterdir()} == expected | {figures.MANIFEST}, REFRESH
    assert set((folder / figures.MANIFEST).read_text().splitlines()) == expected, REFRESH


# All the claim images together, committed: 241 took 18.3 MB in full colour, 5.3 MB with a palette. A budget, so that a
# change that makes them heavy again (or many more claims) is a decision, not a drift.
CLAIM_IMAGES_BUDGET = 8_000_000  # bytes
CLAIM_IMAGE_MAX = 60_000  # bytes, any one


def test_committed_claim_images_are_palette_pngs_within_budget():
    images = sorted((COMMITTED / figures.CLAIM_IMAGES).glob("*.png"))
    assert len(images) > 50
    total = sum(p.stat().st_size for p in images)
    assert total < CLAIM_IMAGES_BUDGET, f"claim images take {total:,} bytes: {REFRESH}"
    for path in images:
        header = path.read_bytes()[:26]
        assert header[12:16] == b"IHDR" and header[25] == 3, f"{path.name} has no palette: {REFRESH}"  # colour type 3
        assert path.stat().st_size < CLAIM_IMAGE_MAX, path.name


def test_palette_png_keeps_flat_colours_exactly():
    from PIL import Image, ImageDraw

    from drugstats import display

    colours = sorted({v.color for v in display.VERDICTS.values()} | set(display.OKABE_ITO.values()))
    image = Image.new("RGB", (40 * len(colours), 300), "white")
    draw = ImageDraw.Draw(image)
    for i, colour in enumerate(colours):
        draw.rectangle((40 * i, 0, 40 * i + 39, 99), fill=colour)
    for x in range(image.width):  # a smooth ramp beneath: far more colours than a palette holds
        for y in range(100, 300):
            image.putpixel((x, y), (x % 256, y % 256, (x * y) % 256))
    raw = io.BytesIO()
    image.save(raw, format="PNG")
    with Image.open(io.BytesIO(figures.palette_png(raw.getvalue()))) as out:
        assert out.mode == "P" and out.size == image.size
        rgb = out.convert("RGB")
        for i, colour in enumerate(colours):
            assert "#{:02X}{:02X}{:02X}".format(*rgb.getpixel((40 * i + 20, 50))) == colour.upper()


@pytest.mark.parametrize(("size", "expected"), [((1000, 604), (1154, 604)), ((1000, 400), (1000, 524)), ((955, 500), (955, 500))])
def test_a_claim_image_is_centred_on_white_at_the_shape_of_a_link_preview(size, expected):
    from PIL import Image

    image = Image.new("RGB", size, "#0072B2")  # the chart, one flat colour edge to edge
    raw = io.BytesIO()
    image.save(raw, format="PNG")
    with Image.open(io.BytesIO(figures.preview_png(raw.getvalue()))) as out:
        assert out.size == expected
        left, top = (expected[0] - size[0]) // 2, (expected[1] - size[1]) // 2
        assert out.convert("RGB").crop((left, top, left + size[0], top + size[1])).getcolors() == [
            (size[0] * size[1], (0, 114, 178))
        ]
        if expected != size:  # the margins are white
            assert out.convert("RGB").getpixel((0, 0)) == (255, 255, 255)


def test_committed_claim_images_have_the_shape_of_a_link_preview():
    for path in sorted((COMMITTED / figures.CLAIM_IMAGES).glob("*.png")):
        width, height = _png_size(path)
        assert abs(width / height - figures.PREVIEW_RATIO) < 0.01, (path.name, width, height, REFRESH)


def test_a_new_run_removes_the_files_its_previous_run_wrote_and_no_longer_writes(build, tmp_path, monkeypatch):
    # Rendering needs chromium and is tested below; this is about which files stay, so images are left out here.
    monkeypatch.setattr(figures, "render_images", lambda figs, out, claim_images=None: None)
    monkeypatch.setattr(figures, "claim_figures", lambda build: {"kept-claim": None})
    out = tmp_path / "figures"
    (out / figures.CLAIM_IMAGES).mkdir(parents=True)
    (out / "claim-dropped.png").write_bytes(b"a figure the data no longer has")
    (out / "notes.txt").write_text("not ours")
    (out / figures.MANIFEST).write_text("claim-dropped.png\n../outside.txt\nREADME.md\n")
    (tmp_path / "outside.txt").write_text("outside the folder")
    (out / figures.CLAIM_IMAGES / "dropped-claim.png").write_bytes(b"a claim the data no longer has")
    (out / figures.CLAIM_IMAGES / figures.MANIFEST).write_text("dropped-claim.png\nkept-claim.png\n")
    written = figures.write_figures(build, out)
    assert not (out / "claim-dropped.png").exists() and not (out / figures.CLAIM_IMAGES / "dropped-claim.png").exists()
    assert (out / "notes.txt").exists() and (tmp_path / "outside.txt").exists()
    assert (out / "README.md").exists()
    assert set((out / figures.MANIFEST).read_text().splitlines()) == {p.name for p in written if p.parent == out}
    assert (out / figures.CLAIM_IMAGES / figures.MANIFEST).read_text() == "kept-claim.png\n"
    assert figures.claim_image(out, "kept-claim") in written


def test_committed_html_index_and_plotly_js_are_in_step_with_the_data(build):
    files = figures.text_files(build)
    assert len(files) == len(EXPECTED) + 2
    for name, content in files.items():
        assert (COMMITTED / name).read_bytes() == content, f"{name}: {REFRESH}"


def test_html_pages_load_plotly_from_their_folder_with_fixed_ids(default):
    for name in default:
        page = (COMMITTED / f"{name}.html").read_text(encoding="utf-8")
        assert f'<div id="{name}" class="plotly-graph-div"' in page
        assert '<script charset="utf-8" src="plotly.min.js"></script>' in page
        assert "cdn.plot.ly" not in page and '<script src="http' not in page
        assert "Cite this chart: drugstats contributors" in page


def test_index_lists_every_figure_with_its_files_and_citation(default):
    index = (COMMITTED / "README.md").read_text(encoding="utf-8")
    for figure in default.values():
        assert f"{figure.title}\n" in index
        for name in figures.files_of(figure):
            assert f"[{name}]({name})" in index
        assert f"Cite: {figure.citation.plain}" in index


def test_normalise_svg_replaces_plotly_random_plot_id():
    svg = (
        b'<svg><defs id="defs-8a7f2c"><clipPath id="clip8a7f2cxyplot"/></defs><g clip-path="url(#clip8a7f2cxyplot)"/>'
        b'<g class="legend" clip-path="url(#legend8a7f2c)"/><g id="topdefs-8a7f2c"/><text>8a7f2c</text></svg>'
    )
    out = figures.normalise_svg(svg, "overdose-deaths-us")
    assert out == (
        b'<svg><defs id="defs-overdosedeathsus"><clipPath id="clipoverdosedeathsusxyplot"/></defs>'
        b'<g clip-path="url(#clipoverdosedeathsusxyplot)"/><g class="legend" clip-path="url(#legendoverdosedeathsus)"/>'
        b'<g id="topdefs-overdosedeathsus"/><text>8a7f2c</text></svg>'
    )  # ids only: text that happens to look like the id stays


def test_cli_without_a_browser_says_why_and_exits_2(monkeypatch, tmp_path, capsys):
    import plotly.io as pio

    def no_browser(*args, **kwargs):
        raise RuntimeError("Kaleido requires Google Chrome to be installed.")

    monkeypatch.setattr(pio, "write_images", no_browser)
    assert cli.main(["figures", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == "error: rendering the figures failed: Kaleido requires Google Chrome to be installed.\n"


# --------------------------------------------------------------------------------- rendering (kaleido, chromium)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, int, str]:
    """`drugstats figures --out <tmp>`, run once: the folder, the exit code and what it printed."""
    require_chromium("kaleido")
    out = tmp_path_factory.mktemp("figures")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = cli.main(["figures", "--out", str(out)])
    return out, code, printed.getvalue()


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    return struct.unpack(">II", data[16:24])


def _svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    return "\n".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))


@pytest.mark.browser
def test_cli_prints_every_file_it_wrote(rendered, default, build):
    out, code, printed = rendered
    assert code == 0
    lines = printed.splitlines()
    expected = [out / name for figure in default.values() for name in figures.files_of(figure)]
    expected += [out / "plotly.min.js", out / "README.md"]
    expected += [figures.claim_image(out, claim_id) for claim_id in figures.claims_with_charts(build)]
    assert lines[:-1] == [str(p) for p in expected]
    assert lines[-1] == f"{len(expected)} files written to {out}"
    assert all(p.is_file() for p in expected)


@pytest.mark.browser
def test_a_png_and_an_svg_of_plausible_size_for_every_chart(rendered, default):
    out, _, _ = rendered
    assert len(list(out.glob("*.png"))) == len(list(out.glob("*.svg"))) == len(default) == len(EXPECTED)
    for name, figure in default.items():
        width, height = figures.size(figure)
        assert _png_size(out / f"{name}.png") == (width * figures.PNG_SCALE, height * figures.PNG_SCALE), name
        assert 40_000 < (out / f"{name}.png").stat().st_size < 2_000_000, name
        assert 5_000 < (out / f"{name}.svg").stat().st_size < 500_000, name
        root = ET.parse(out / f"{name}.svg").getroot()
        assert (root.get("width"), root.get("height")) == (str(width), str(height)), name


@pytest.mark.browser
def test_a_png_of_each_claims_chart_at_its_size(rendered, default):
    out, _, _ = rendered
    images = sorted((out / figures.CLAIM_IMAGES).glob("*.png"))
    assert len(images) > 50
    for claim_id in figures.SEED_CLAIMS:  # the seed claims' charts are also default figures: the same chart at 1x,
        width, height = figures.size(default[f"claim-{claim_id}"])  # centred on white at a link preview's shape
        assert _png_size(figures.claim_image(out, claim_id)) == (round(height * figures.PREVIEW_RATIO), height), claim_id
    for path in images:
        width, height = _png_size(path)
        assert width >= figures.WIDTH * figures.CLAIM_IMAGE_SCALE and abs(width / height - figures.PREVIEW_RATIO) < 0.01
        assert 10_000 < path.stat().st_size < 1_000_000, path.name


@pytest.mark.browser
def test_every_svg_carries_its_title_unit_and_source_line(rendered, default):
    out, _, _ = rendered
    for name, figure in default.items():
        text = _squash(_svg_text(out / f"{name}.svg"))
        assert _squash(charts.plain_text(figure.figure.layout.title.text)) in text, name
        assert _squash(charts.plain_text(figure.figure.layout.title.subtitle.text)) in text, name
        for axis in (figure.figure.layout.xaxis, figure.figure.layout.yaxis):  # the unit, on the axis it measures
            if axis.title.text:
                assert _squash(axis.title.text) in text, name
        for source in figure.sources:
            assert _squash(f"Source: {source.text}") in text, name


@pytest.mark.browser
def test_svgs_are_byte_stable_and_the_committed_figures_in_step(rendered):
    out, _, _ = rendered
    fresh = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert fresh == sorted(p.relative_to(COMMITTED).as_posix() for p in COMMITTED.rglob("*") if p.is_file()), REFRESH
    for name in fresh:
        mine, committed = out / name, COMMITTED / name
        if name.endswith(".png"):  # PNG pixels may differ with the renderer: compare what does not
            assert _png_size(mine) == _png_size(committed), f"{name}: {REFRESH}"
            assert 0.5 < mine.stat().st_size / committed.stat().st_size < 2, f"{name}: {REFRESH}"
        else:
            assert mine.read_bytes() == committed.read_bytes(), f"{name}: {REFRESH}"


@pytest.mark.browser
def test_committed_html_draws_offline_from_the_folder(default):
    require_chromium("kaleido", "playwright.sync_api")
    from playwright.sync_api import sync_playwright

    figure = default["overdose-deaths-us"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            requested = []

            def offline(route) -> None:  # every request recorded; none reaches the network, so no CDN could help
                requested.append(route.request.url)
                route.abort() if route.request.url.startswith(("http://", "https://")) else route.continue_()

            page.route("**/*", offline)
            page.goto((COMMITTED / f"{figure.name}.html").as_uri())
            page.locator(f"#{figure.name} .main-svg").first.wait_for(timeout=30_000)
            title = page.locator(f"#{figure.name} .gtitle").text_content()
            assert _squash(figure.title) in _squash(title)
            assert all(url.startswith("file://") for url in requested), requested
        finally:
            browser.close()
