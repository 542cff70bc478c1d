class BackupError(Exception):
    """A backup or restore that cannot go ahead, with the reason an operator can act on."""
