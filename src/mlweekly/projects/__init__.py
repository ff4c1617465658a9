"""projects — see DESIGN.md."""
