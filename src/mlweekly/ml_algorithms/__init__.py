"""ml algorithms — see DESIGN.md."""
