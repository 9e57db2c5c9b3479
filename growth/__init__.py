"""Identity goals, two-minute habits and completions, reflections, todos, badges."""
