"""Claims checked against the official record of their place, period, drug and agency."""
