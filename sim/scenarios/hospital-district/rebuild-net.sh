#!/bin/sh
# Rebuilds hospital-district.net.xml from the plain node/edge files with SUMO's netconvert.
set -eu
cd "$(dirname "$0")"
netconvert --node-files district.nod.xml --edge-files district.edg.xml \
  --no-turnarounds true --junctions.corner-detail 0 --no-internal-links false \
  --output-file hospital-district.net.xml --output.street-names false --offset.disable-normalization true
