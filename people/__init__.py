"""Users, departments and projects: the layer every other app builds on."""
