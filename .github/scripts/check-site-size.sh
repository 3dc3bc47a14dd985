#!/usr/bin/env bash
# Fail before uploading a built site that GitHub Pages would refuse: a published site may be at most
# 1 GB. Usage: check-site-size.sh DIR [LIMIT_BYTES]
set -euo pipefail
dir="${1:?usage: check-site-size.sh DIR [LIMIT_BYTES]}"
limit="${2:-1000000000}"
if [ ! -d "$dir" ]; then
  echo "::error::no built site at $dir"
  exit 1
fi
size="$(du -sb "$dir" | cut -f1)"
echo "site size: $size bytes (limit $limit)"
if [ "$size" -ge "$limit" ]; then
  echo "::error::the built site is $size bytes; GitHub Pages publishes at most $limit"
  exit 1
fi
