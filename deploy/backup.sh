#!/bin/sh
# Nightly backup: a custom-format PostgreSQL dump and the media folder, kept 14 days.
# Run from cron or a systemd timer as the labitory user with /etc/labitory/labitory.env loaded.
set -eu
target="${BACKUP_DIR:-/var/backups/labitory}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$target"
pg_dump --format=custom --file "$target/labitory-$stamp.dump" "$DATABASE_URL"
tar -C "${MEDIA_ROOT:-/var/lib/labitory/media}" -czf "$target/media-$stamp.tar.gz" .
find "$target" -type f -mtime +14 -delete
echo "Backed up to $target ($stamp)"
