"""Territory and plan files: sniffing, reading, column mapping, type coercion, export. No Qt."""
