"""deep learning — see DESIGN.md."""
