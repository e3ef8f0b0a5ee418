"""What a claim is and how it is read: the models, the YAML reader, bounded file reads, query parameters."""
