"""The dashboard's charts as one set, written as static files: `drugstats figures`.

Each figure is composed by its page's module (drugstats.pages.*, drugstats.publish.claimplot), the same function the page
calls, so a file written here is the chart the dashboard shows in its default view. `write_figures` is the I/O: PNG
and SVG rendered by kaleido in one browser start, an HTML page per chart, and an index; and in `claims/`, a PNG of each
claim's chart, the image of its page at /claim/<id> (drugstats.publish.claimhtml), made here so no request renders one.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import plotly.graph_objects as go

from drugstats import __version__
from drugstats.errors import RenderError
from drugstats.pages import deaths, overview, potency, seizures
from drugstats.publish import charts, claimplot, export
from drugstats.publish.charts import Figure
from drugstats.verdicts.pipeline import Build

# The claims of the two articles drugstats started from, in the order they were printed.
SEED_CLAIMS = (
    "dc-2023-04-13-overdose-deaths-2021",
    "dc-2023-04-13-cbp-fentanyl-seized-oct-feb",
    "dc-2023-04-13-fentanyl-lethal-dose",
    "dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023",
    "dcnf-2024-02-01-fentanyl-potency-morphine",
    "dcnf-2024-02-01-fentanyl-deaths-per-kg",
)


def default_figures(build: Build) -> dict[str, Figure]:
    """Every chart of the dashboard in its default view, by name, in the order of the pages: the static figures' set.

    The Check a figure page is left out: its default chart is the 105,000 claim's, drawn as a reader's entry.
    """
    revised = deaths.revisions_figure(build, deaths.parse_deaths({}, build.official.overdose_deaths))
    out = [
        overview.verdicts(build),
        deaths.figure(build),
        *([revised] if revised is not None else []),  # one window across the releases held, under the counts
        seizures.by_fiscal_year(build),
        seizures.by_month(build),
        seizures.year_to_date(build),
        potency.figure(build),
    ]
    for claim_id in SEED_CLAIMS:
        figure = claimplot.claim(build, claim_id)
        if figure is None:
            raise LookupError(f"seed claim {claim_id} has no chart: the dashboard shows none, so no figure can be written")
        out.append(figure)
    return {f.name: f for f in out}


def claims_with_charts(build: Build) -> list[str]:
    """The shipped claims the dashboard draws a chart for (claimplot.claim is not None), in the order of the data."""
    rows = build.claims.set_index("id", drop=False)
    return [
        c.id
        for c in build.dataset.claims
        if claimplot.claim_plot(rows.loc[c.id], build.verdict_by_id[c.id], build.official) is not None
    ]


def claim_figures(build: Build) -> dict[str, Figure]:
    """Each shipped claim's chart, by claim id, for the claims that have one."""
    out = {}
    for claim_id in claims_with_charts(build):
        figure = claimplot.claim(build, claim_id)
        assert figure is not None  # claims_with_charts asked the same question
        out[claim_id] = figure
    return out


# ---------------------------------------------------------------------------------------------
# Static files
# ---------------------------------------------------------------------------------------------

WIDTH = 1000  # px: a page width; the title and source lines are wrapped for it, and the height follows
PNG_SCALE = 2  # sharp on high-density screens and in print
# Liberation Sans ships with Debian's chromium (fonts-liberation) and has Arial's metrics, so text is measured, and
# the SVG laid out, the same on any machine with either font. The dashboard's first choice, Source Sans Pro, is
# served by Streamlit as a web font and is not installed where figures are rendered.
STATIC_FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
PLOTLY_JS = "plotly.min.js"
HTML_CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": False}
CLAIM_IMAGES = "claims"  # sub-folder of the figures: <claim id>.png, a link preview's image, so 1x is enough
CLAIM_IMAGE_SCALE = 1
# A claim's image, one per claim and committed, is stored with a palette of 256 colours (PNG8): a chart is flat colours,
# which keep their exact values, and the edges of text and lines, which lose nothing a reader sees; ~4x smaller.
CLAIM_IMAGE_COLOURS = 256
# Link previews (Open Graph's large image, X's summary_large_image) show an image at 1.91:1, cropping the middle of any
# other shape: a 1000 x 604 chart lost its title and source lines. A claim's image is the chart centred on white at
# that shape, so a preview crops nothing.
PREVIEW_RATIO = 1.91


def claim_image(figures_dir: Path, claim_id: str) -> Path:
    """Where `drugstats figures` writes a claim's image."""
    return figures_dir / CLAIM_IMAGES / f"{claim_id}.png"


def static_figure(figure: Figure) -> go.Figure:
    """A copy for rendering: fixed width and font, its text wrapped for that width, and trace ids fixed (plotly.js makes
    random ones, found in SVG)."""
    fig = go.Figure(figure.figure)
    for i, trace in enumerate(fig.data):
        trace.uid = f"t{i}"
    fig.update_layout(width=WIDTH, font_family=STATIC_FONT)
    return charts.fit(fig, WIDTH)


def size(figure: Figure) -> tuple[int, int]:
    """The static figure's size in layout pixels (the PNG is PNG_SCALE times that)."""
    return WIDTH, int(static_figure(figure).layout.height)


_SVG_UID = re.compile(rb'id="defs-([0-9a-z]+)"')


def normalise_svg(svg: bytes, name: str) -> bytes:
    """SVG with plotly.js's random per-plot id (in clip paths and defs ids) replaced by the figure's name."""
    found = _SVG_UID.search(svg)
    if found is None:
        return svg
    uid = found.group(1)
    stable = re.sub(r"[^a-z0-9]+", "", name.lower()).encode()
    return re.sub(rb"(clip|defs-|legend)" + re.escape(uid), rb"\g<1>" + stable, svg)


def html_page(figure: Figure) -> str:
    """A page for one chart: the interactive figure, loading plotly.js from beside it, and its citation."""
    import plotly.io as pio

    # plotly serialises with orjson when it happens to be installed (raw UTF-8) and with json otherwise
    # (\u escapes): pin the engine so the committed pages are the same bytes on every machine.
    engine, pio.json.config.default_engine = pio.json.config.default_engine, "json"
    try:
        div = pio.to_html(
            figure.figure,
            config=HTML_CONFIG,
            include_plotlyjs="directory",
            full_html=False,
            div_id=figure.name,  # plotly makes a random id otherwise
            default_height=f"{int(figure.figure.layout.height)}px",  # drawn as the dashboard draws it: its wrapping
        )
    finally:
        pio.json.config.default_engine = engine
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(figure.title)}</title>\n"
        "</head>\n"
        '<body style="margin: 0 auto; max-width: 1000px; font-family: sans-serif">\n'
        f"{div}\n"
        f'<p style="font-size: 13px; color: #444; margin: 8px">Cite this chart: {html.escape(figure.citation.plain)}</p>\n'
        "</body>\n</html>\n"
    )


def files_of(figure: Figure) -> list[str]:
    """The files written for a figure: PNG, SVG, HTML."""
    return [f"{figure.name}.{ext}" for ext in ("png", "svg", "html")]


def index(figures: Mapping[str, Figure], build: Build, claim_images: int = 0) -> str:
    """figures/README.md: each figure with its title, files and citation; claim_images: how many claims/ holds."""
    lines = [
        "# Figures",
        "",
        "Every chart of the drugstats dashboard in its default view, as PNG, SVG and interactive HTML, with its title, "
        "unit and source line inside the image. Made by `python -m drugstats figures --out figures` from the data in "
        f"`data/` (claims checked as of {build.reviewed_on}; drugstats {__version__}). Do not edit: regenerate.",
        "",
        f"PNG: {WIDTH} px wide at {PNG_SCALE}x (so {WIDTH * PNG_SCALE} px). SVG: {WIDTH} px wide. Each HTML page loads "
        f"`{PLOTLY_JS}` from this folder, so the folder works offline as long as the files stay together. Citations "
        f"point at the dashboard at {export.SITE_URL} (`DRUGSTATS_SITE_URL` when the figures were made).",
        "",
        f"`{CLAIM_IMAGES}/`: a PNG ({WIDTH} px wide at {CLAIM_IMAGE_SCALE}x, {CLAIM_IMAGE_COLOURS} colours) of the chart of "
        f"each of the {claim_images} claims that have one, named by claim id: the image of the claim's page, "
        "`/claim/<id>`, and of its link previews.",
        "",
    ]
    for number, figure in enumerate(figures.values(), start=1):
        width, height = size(figure)
        png, svg, page = files_of(figure)
        lines += [
            f"## {number}. {figure.title}",
            "",
            f"- Files: [{png}]({png}), [{svg}]({svg}), [{page}]({page}) ({width} x {height} px)",
            f"- Dashboard page: `/{figure.page}`",
            f"- Data: {'; '.join(s.text for s in figure.sources)}",
            "",
            f"Cite: {figure.citation.plain}",
            "",
        ]
    return "\n".join(lines)


def text_files(
    build: Build, figures: Mapping[str, Figure] | None = None, claim_images: Sequence[str] | None = None
) -> dict[str, bytes]:
    """The files that need no browser: an HTML page per chart, plotly.min.js once, and the index (claim_images: the
    claims with an image in claims/)."""
    from plotly.offline import get_plotlyjs

    figures = figures if figures is not None else default_figures(build)
    claim_images = claim_images if claim_images is not None else claims_with_charts(build)
    files = {f"{f.name}.html": html_page(f).encode("utf-8") for f in figures.values()}
    files[PLOTLY_JS] = get_plotlyjs().encode("utf-8")
    files["README.md"] = index(figures, build, len(claim_images)).encode("utf-8")
    return files


def render_images(figures: Mapping[str, Figure], out: Path, claim_images: Mapping[str, Figure] | None = None) -> None:
    """PNG and SVG of every figure, and a PNG of each claim's chart, in one browser start (kaleido); SVGs normalised so
    they are byte-stable. Nothing to render starts no browser."""
    import plotly.io as pio

    jobs = []
    for figure in figures.values():
        fig = static_figure(figure)
        height = int(fig.layout.height)
        jobs.append((fig, out / f"{figure.name}.png", WIDTH, height, PNG_SCALE))
        jobs.append((fig, out / f"{figure.name}.svg", WIDTH, height, 1))
    for claim_id, figure in (claim_images or {}).items():
        fig = static_figure(figure)
        jobs.append((fig, claim_image(out, claim_id), WIDTH, int(fig.layout.height), CLAIM_IMAGE_SCALE))
    if not jobs:
        return
    try:
        pio.write_images(
            [j[0] for j in jobs],
            [j[1] for j in jobs],
            width=[j[2] for j in jobs],
            height=[j[3] for j in jobs],
            scale=[j[4] for j in jobs],
        )
    except Exception as err:  # kaleido's own types (no browser, a crashed render) say what went wrong
        raise RenderError(f"rendering the figures failed: {err}") from err
    for figure in figures.values():
        path = out / f"{figure.name}.svg"
        path.write_bytes(normalise_svg(path.read_bytes(), figure.name))
    for claim_id in claim_images or {}:
        path = claim_image(out, claim_id)
        path.write_bytes(palette_png(preview_png(path.read_bytes())))


def preview_png(png: bytes, ratio: float = PREVIEW_RATIO) -> bytes:
    """The image centred on a white canvas of width:height = ratio (the smallest that holds it), as a PNG."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
        canvas_size = (max(width, round(height * ratio)), max(height, round(width / ratio)))
        if canvas_size == (width, height):
            return png
        canvas = Image.new("RGB", canvas_size, "white")
        canvas.paste(image.convert("RGB"), ((canvas_size[0] - width) // 2, (canvas_size[1] - height) // 2))
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()


def palette_png(png: bytes, colours: int = CLAIM_IMAGE_COLOURS) -> bytes:
    """A PNG stored with a palette of at most `colours` colours, not dithered (so flat colours keep their values)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        quantized = image.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    quantized.save(out, format="PNG", optimize=True)
    return out.getvalue()


MANIFEST = ".drugstats-figures"  # in the output folder: the files the last `drugstats figures` wrote there


def write_figures(build: Build, out: Path) -> list[Path]:
    """Write every default figure into out: PNG, SVG and HTML per chart, plotly.min.js and README.md, and a PNG per
    claim with a chart in out/claims/; the paths written.

    Files the previous run wrote (each folder's manifest) that this run does not, a figure renamed or dropped, are
    removed; nothing else in the folders is touched.
    """
    figures = default_figures(build)
    out.mkdir(parents=True, exist_ok=True)
    (out / CLAIM_IMAGES).mkdir(exist_ok=True)
    # The dashboard's figures first, in their own browser start: without a browser the command says so in about a
    # second instead of after drawing every claim's chart (~14 s).
    render_images(figures, out)
    claim_images = claim_figures(build)
    render_images({}, out, claim_images)
    written = [out / name for f in figures.values() for name in files_of(f)] + [out / PLOTLY_JS, out / "README.md"]
    images = [claim_image(out, claim_id) for claim_id in claim_images]
    for name, content in text_files(build, figures, list(claim_images)).items():
        (out / name).write_bytes(content)
    _keep_only(out, {p.name for p in written})
    _keep_only(out / CLAIM_IMAGES, {p.name for p in images})
    return written + images


def _keep_only(folder: Path, names: set[str]) -> None:
    """Remove what the folder's previous manifest listed and `names` does not; record `names` as the new manifest."""
    for stale in sorted(_manifest(folder) - names):
        (folder / stale).unlink(missing_ok=True)
    (folder / MANIFEST).write_text("".join(f"{name}\n" for name in sorted(names)), encoding="utf-8")


def _manifest(out: Path) -> set[str]:
    try:
        lines = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return set()
    # Plain names only: a manifest edited to name a path elsewhere removes nothing outside the folder.
    return {line for line in lines if line and "/" not in line and "\\" not in line and line not in (".", "..")}
