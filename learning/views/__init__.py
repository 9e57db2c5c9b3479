"""Pages of learning, one module per area."""
