#!/usr/bin/env bash
# Markdown for the run's summary page: where the site preview is and how to open it. The explorer
# and search load JSON files, which browsers refuse over file://, so the preview is served, not
# opened from disk. Usage: preview-summary.sh ARTIFACT_URL
set -euo pipefail
url="${1:?usage: preview-summary.sh ARTIFACT_URL}"
cat <<MARKDOWN
### Site preview

Download [site-preview]($url) (kept 7 days), then in the folder you downloaded it to:

\`\`\`sh
unzip -o site-preview.zip -d site-preview && python3 -m http.server --directory site-preview 8000
\`\`\`

and open <http://localhost:8000/>.
MARKDOWN
