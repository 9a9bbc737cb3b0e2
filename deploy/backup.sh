#!/usr/bin/env bash
# Back up zone-portal: the database (pg_dump, custom format) and the uploaded files (MEDIA_ROOT).
#   DATABASE_URL=postgres://… MEDIA_ROOT=/srv/zone-portal/media deploy/backup.sh /backups/zone-portal
# Writes <dest>/<stamp>/{db.dump,media.tar.gz,SHA256SUMS}. The dump is taken first, the files after it:
# a file uploaded in between is in the archive without its row (harmless), never the other way round
# (a row whose file is missing). With STORAGE_BACKEND=s3 the files are the object store's to keep
# (versioning / replication of the bucket); MEDIA_ROOT is then left out.
set -euo pipefail
dest=${1:?usage: backup.sh DEST_DIR}
: "${DATABASE_URL:?DATABASE_URL must name the database}"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$dest/$stamp"
mkdir -p "$out"
pg_dump --format=custom --no-owner --no-privileges --file="$out/db.dump" "$DATABASE_URL"
if [ "${STORAGE_BACKEND:-filesystem}" = "filesystem" ]; then
  media=${MEDIA_ROOT:?MEDIA_ROOT must name the uploads folder}
  tar -C "$media" -czf "$out/media.tar.gz" .
fi
(cd "$out" && sha256sum ./* > SHA256SUMS)
echo "$out"
