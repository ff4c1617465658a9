"""statistical theory — see DESIGN.md."""
