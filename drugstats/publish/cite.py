"""Citations: where a figure comes from (Citation, the source line under a chart), and citations to copy
(Formatted: the dataset, each chart, each source and each official series, as plain text and BibTeX)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from drugstats import __version__
from drugstats.claims.safetext import safe_url

if TYPE_CHECKING:
    from drugstats.official.provenance import DatasetMeta

TITLE = "drugstats: drug-policy figures in the news, checked against the official record"
AUTHOR = "drugstats contributors"


@dataclass(frozen=True)
class Citation:
    """Where a figure comes from: who, what, which release, and a link."""

    producer: str
    title: str
    release: str  # "release 2026-02-14", "releases 2026-02-14 and 2026-06-27", "data through December 2025"
    url: str | None

    @property
    def text(self) -> str:
        return ", ".join(part for part in (self.producer, self.title, self.release) if part)


def _releases_text(meta: DatasetMeta, releases: Iterable[Any]) -> str:
    days = sorted({pd.Timestamp(r).date().isoformat() for r in releases if pd.notna(r)})
    names = [meta.release_name(day) for day in days]  # an estimated date says so: "about October 2017 (estimated)"
    if not names:
        return ""
    if len(names) == 1:
        return f"release of {names[0]}"
    return "releases of " + ", ".join(names[:-1]) + " and " + names[-1]


def text_or_empty(value: Any) -> str:
    """A text field of the data as a string; "" for a missing one (None, NaN, pd.NA)."""
    return "" if value is None or value is pd.NA or value != value else str(value)


def published_in(publisher: Any, title: Any) -> str:
    """Where a claim was published, for people: "Outlet: Headline", or the outlet alone where no headline was recorded
    (sources.yaml leaves the title out rather than describe it: a reader would take a description for the headline)."""
    publisher, title = text_or_empty(publisher), text_or_empty(title)
    return f"{publisher}: {title}" if publisher and title else publisher or title


def dataset_citation(meta: DatasetMeta, releases: Iterable[Any] = ()) -> Citation:
    """The citation of an official dataset, naming the releases of the rows shown, or else what the files say."""
    release = _releases_text(meta, releases)
    if not release and meta.release:
        release = f"release of {meta.release_name(meta.release)}"
    if not release:
        through = max((f.data_through for f in meta.files if f.data_through), default=None)
        retrieved = max(f.retrieved for f in meta.files)
        parts = []
        if through:
            parts.append(f"data through {pd.Timestamp(through):%B %Y}")
        parts.append(f"undated files retrieved {retrieved}")
        release = ", ".join(parts)
    return Citation(meta.producer, meta.title, release, safe_url(meta.url))


def reference_citation(row: Mapping[str, Any]) -> Citation:
    """The citation of a reference value (a row of the reference_values frame)."""
    title = text_or_empty(row["source_title"])
    return Citation(str(row["publisher"]), title, f"published {row['published']}", safe_url(row["source_url"]))


def agency_citation(row: Mapping[str, Any]) -> Citation:
    """The citation of a figure an agency published (a row of the agency_figures frame): its words, where and when."""
    url = str(row["url"])
    return Citation(
        f"{row['agency']} (as published)",
        f'{row["measure"]}: "{row["sentence"]}"',
        f"published {row['published']}, read in {row['read_from']}",
        safe_url(url) if url.startswith(("http://", "https://")) else None,
    )


@dataclass(frozen=True)
class Formatted:
    """A citation to copy: plain text and a BibTeX entry."""

    plain: str
    bibtex: str


def _bib_escape(text: str) -> str:
    """Escape BibTeX's special characters so data never becomes markup."""
    text = text.replace("\\", r"\textbackslash{}")
    return re.sub(r"([{}%&$#_^~])", r"\\\1", text)


def _bib_url(url: str) -> str:
    """biblatex reads url fields verbatim: keep _ % & as they are, only braces would break the entry."""
    return url.replace("{", "%7B").replace("}", "%7D")


def _bibtex(key: str, entry: dict[str, str]) -> str:
    lines = [f"@misc{{{key},"]
    lines += [
        f"  {name} = {{{_bib_url(value) if name == 'url' else _bib_escape(value)}}}," for name, value in entry.items() if value
    ]
    lines.append("}")
    return "\n".join(lines)


def _key(*parts: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", "".join(parts).lower())[:40] or "drugstats"


def dataset(reviewed_on: str, url: str) -> Formatted:
    year = reviewed_on[:4]
    plain = f"{AUTHOR} ({year}). {TITLE} (version {__version__}, reviewed {reviewed_on}). {url}"
    bib = _bibtex(
        f"drugstats{year}",
        {"author": AUTHOR, "title": TITLE, "year": year, "version": __version__, "url": url, "note": f"Reviewed {reviewed_on}"},
    )
    return Formatted(plain, bib)


def chart(name: str, title: str, url: str, reviewed_on: str, data: Sequence[str]) -> Formatted:
    """One chart of the dashboard: its title, where it is shown, and the data it draws (each source's citation text)."""
    year = reviewed_on[:4]
    sources = "; ".join(data)
    plain = f"{AUTHOR} ({year}). {title} [chart]. In {TITLE} (version {__version__}, reviewed {reviewed_on}). {url}"
    if sources:
        plain += f". Data: {sources}."
    bib = _bibtex(
        # Keys stay whole (not cut at 40 characters): two claims' charts differ only at the end of their names.
        f"drugstats{year}-{re.sub(r'[^a-z0-9-]+', '-', name.lower()).strip('-')}",
        {
            "author": AUTHOR,
            "title": title,
            "howpublished": f"Chart in {TITLE}",
            "year": year,
            "version": __version__,
            "url": url,
            "note": f"Reviewed {reviewed_on}." + (f" Data: {sources}." if sources else ""),
        },
    )
    return Formatted(plain, bib)


def document(publisher: str, title: str, published: str, url: str, accessed: str = "", note: str = "") -> Formatted:
    """A cited document or official dataset: publisher, title, date, URL, and when we read it."""
    year = published[:4] if published else "n.d."
    title = text_or_empty(title)  # no headline recorded: publisher, date and URL only
    plain = f"{publisher} ({published or 'n.d.'}). " + (f"{title}. " if title else "") + url
    if accessed:
        plain += f" (accessed {accessed})"
    if note:
        plain += f". {note}"
    bib = _bibtex(
        _key(publisher.split()[0] if publisher else "", year, title[:20] or url.split("//")[-1][:20]),
        {"author": publisher, "title": title, "year": year, "url": url, "urldate": accessed, "note": note},
    )
    return Formatted(plain, bib)


def documents_bibtex(sources: pd.DataFrame) -> str:
    """BibTeX for every document of a sources table, one entry each, in the table's order."""
    return "\n\n".join(
        document(s.publisher, s.title, s.published, s.url, f"{s.accessed:%Y-%m-%d}").bibtex
        for s in sources.itertuples(index=False)
    )
