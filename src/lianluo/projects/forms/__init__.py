"""Forms of the livelihood-project pages, one module per stage."""
