"""The official record: one module per dataset, their provenance, the parse cache and the questions asked of them."""
