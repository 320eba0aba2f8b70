#!/usr/bin/env bash
# certbot deploy hook: after a certificate is renewed, reload nginx so it serves the new one, but only if the whole
# nginx configuration still checks out (a broken config is reported and the running nginx keeps serving).
# Installed as /etc/letsencrypt/renewal-hooks/deploy/aether-reload-nginx.sh (mode 0755); certbot runs every
# executable there after each successful renewal, with RENEWED_LINEAGE set to the certificate's directory.
set -euo pipefail

# Overridable for testing the hook without a real nginx or systemd.
NGINX="${AETHER_NGINX:-nginx}"
SYSTEMCTL="${AETHER_SYSTEMCTL:-systemctl}"

lineage="${RENEWED_LINEAGE:-unknown certificate}"

if ! output="$("$NGINX" -t 2>&1)"; then
  printf 'aether-reload-nginx: renewed %s, but "nginx -t" fails; nginx NOT reloaded (it keeps the old certificate until the configuration is fixed):\n%s\n' "$lineage" "$output" >&2
  exit 1
fi

"$SYSTEMCTL" reload nginx
printf 'aether-reload-nginx: renewed %s; nginx configuration OK, nginx reloaded.\n' "$lineage"
