"""misc — see DESIGN.md."""
