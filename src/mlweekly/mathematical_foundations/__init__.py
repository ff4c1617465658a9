"""mathematical foundations — see DESIGN.md."""
