#!/bin/sh
# Run once by the postgres image when it creates the primary's data folder (an empty volume):
# lets the replica of docker-compose.cluster.yml stream from it. The application's role is the
# image's superuser, so it may replicate. For a primary created before, add the line yourself
# (docs/scaling.md).
set -eu
echo "host replication vpswg all scram-sha-256" >> "$PGDATA/pg_hba.conf"
