"""People's part of the REST API: the projects a caller may charge."""
