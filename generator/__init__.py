"""Paper Archive: daily research-paper digests -> a permanent, searchable static site."""
