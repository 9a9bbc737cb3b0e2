#!/usr/bin/env bash
# Restore a backup made by backup.sh into a NEW, empty database and media folder, then check it.
#   DATABASE_URL=postgres://…/zone_portal_restored MEDIA_ROOT=/srv/zone-portal/media-restored \
#     deploy/restore.sh /backups/zone-portal/20261204T210000Z
# The database must exist and be empty (createdb); the script refuses one that has tables. After it,
# `manage.py migrate` brings an older backup up to the running code's schema.
set -euo pipefail
src=${1:?usage: restore.sh BACKUP_DIR}
: "${DATABASE_URL:?DATABASE_URL must name the (empty) database to restore into}"
here=$(cd "$(dirname "$0")/.." && pwd)
python=${ZP_PYTHON:-$here/.venv/bin/python}
(cd "$src" && sha256sum --check --quiet SHA256SUMS)
tables=$(psql -X -tA "$DATABASE_URL" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "restore.sh: $DATABASE_URL is not empty ($tables tables); restore into a new database" >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$src/db.dump"
if [ -f "$src/media.tar.gz" ]; then
  media=${MEDIA_ROOT:?MEDIA_ROOT must name the folder to restore the uploads into}
  mkdir -p "$media"
  tar -C "$media" -xzf "$src/media.tar.gz"
fi
"$python" "$here/manage.py" migrate --noinput
"$python" "$here/manage.py" check
echo "restored $src"
