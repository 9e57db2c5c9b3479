"""Forms of growth's pages, one module per area (the rules stay in services; forms only
parse input)."""
