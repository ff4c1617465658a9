"""mlops pipeline — see DESIGN.md."""
