#!/bin/sh
# What `czynsze publish --to www@web1:/srv/czynsze` does, as plain commands
# (for a web server where you would rather not run czynsze at all).  Only
# the site generations and htpasswd files leave the internal host.
set -eu
HOME_DIR=/var/lib/czynsze
DEST_HOST=www@web1.example.pl
DEST=/srv/czynsze
live=$(readlink "$HOME_DIR/site")             # sites/20211229T020007
rsync -aH --exclude='/.*' --mkpath "$HOME_DIR/sites/" "$DEST_HOST:$DEST/sites/"
rsync -a --delete-after --mkpath "$HOME_DIR/htpasswd.d/" "$DEST_HOST:$DEST/htpasswd.d/"
ssh "$DEST_HOST" "cd '$DEST' && ln -sfn '$live' site.tmp && mv -Tf site.tmp site"
rsync -aH --exclude='/.*' --delete-after "$HOME_DIR/sites/" "$DEST_HOST:$DEST/sites/"
