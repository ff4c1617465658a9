"""research summaries — see DESIGN.md."""
