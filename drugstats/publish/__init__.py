"""What leaves the core: the export, ClaimReview, charts, figures, the claim page, the fixed addresses and the API."""
