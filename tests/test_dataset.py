"""The shipped dataset's size and spread: it must not silently shrink (issue 14)."""

from __future__ import annotations

from drugstats import DATA_DIR, vocab
from drugstats.claims import load


def test_the_dataset_holds_250_claims_from_40_publishers_150_of_them_news():
    dataset = load.load_dataset(DATA_DIR)
    publishers = {dataset.sources[c.source].publisher for c in dataset.claims}
    news = [c for c in dataset.claims if dataset.sources[c.source].kind == "news"]
    years = {str(dataset.sources[c.source].published)[:4] for c in dataset.claims}
    states = {c.geography for c in dataset.claims if c.geography and c.geography.startswith("US-")}
    assert len(dataset.claims) >= 250 and len(publishers) >= 40 and len(news) >= 150
    assert {str(y) for y in range(2017, 2027)} <= years and len(states) >= 10
    assert {c.metric for c in dataset.claims} == set(vocab.METRICS)
