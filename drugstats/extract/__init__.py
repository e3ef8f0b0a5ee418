"""Reading articles: numbers, metrics, periods, places and sources found in text, turned into candidate claims."""
