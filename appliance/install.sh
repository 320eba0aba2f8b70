#!/usr/bin/env bash
# Native install of Aether Panel on Debian/Ubuntu (apt) or Fedora (dnf): packages, the aether user, the release in
# /opt/aether, config, the systemd unit, nginx with a Let's Encrypt certificate, fail2ban, logrotate, the sshd
# drop-in (port 2022, keys only) and the host firewall. Safe to run again: what is already in place is left alone.
#
# Let's Encrypt, as this script does it (webroot: nginx keeps running, no port has to be freed):
#   certbot certonly --webroot -w /var/www/letsencrypt -d DOMAIN --email EMAIL --agree-tos --non-interactive
#   renewal: certbot's systemd timer (certbot.timer on Debian/Ubuntu, certbot-renew.timer on Fedora) runs
#   `certbot renew` twice a day; after a renewal the deploy hook aether-reload-nginx.sh checks nginx and reloads it.
#   check the renewal at any time:  certbot renew --dry-run
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RELEASE_DIR="$(cd "$HERE/.." && pwd)"

PREFIX=/opt/aether
CONFIG_DIR=/etc/aether
DATA_DIR=/var/lib/aether
LOG_DIR=/var/log/aether
WEBROOT=/var/www/letsencrypt
NGINX_SITE=/etc/nginx/conf.d/aether.conf
SSHD_DROPIN=/etc/ssh/sshd_config.d/00-aether.conf
DEPLOY_HOOK=/etc/letsencrypt/renewal-hooks/deploy/aether-reload-nginx.sh
NODE_MIN=20.19.0
# What the release copy holds (the same as the container image).
RELEASE_ITEMS=(package.json package-lock.json tsconfig.json README.md bin scripts src rules templates gatus dist appliance)

usage() {
  cat <<'EOF'
Usage: install.sh --domain DOMAIN [--email EMAIL] [options]

Installs Aether Panel natively (Debian 12+, Ubuntu 22.04+, Fedora 40+) from this release:
  packages      Node.js (>= 20.19), nginx, certbot, fail2ban, ufw or firewalld, Docker, logrotate
  user          aether (system account, no login shell, in the docker group)
  release       copied to /opt/aether, `npm ci --omit=dev` there
  config        /etc/aether/config.json (panel on 127.0.0.1:8080 behind nginx, trusted proxy 127.0.0.1)
  service       /etc/systemd/system/aether.service (sandboxed), enabled and started
  nginx         /etc/nginx/conf.d/aether.conf (TLS for DOMAIN), certificate from Let's Encrypt (webroot)
  certbot       deploy hook /etc/letsencrypt/renewal-hooks/deploy/aether-reload-nginx.sh, renewal timer on
  fail2ban      filter.d/aether.conf, jail.d/aether.local (panel logins and SSH on 2022)
  logrotate     /etc/logrotate.d/aether
  ssh           /etc/ssh/sshd_config.d/00-aether.conf (port 2022, keys only), checked with `sshd -t`
  firewall      appliance/firewall/ufw.sh (Debian/Ubuntu) or firewalld.sh (Fedora)

Options:
  --domain DOMAIN        the panel's public name (DNS must point here for the certificate)
  --email EMAIL          Let's Encrypt account address (expiry warnings); without it certbot registers without one
  --firewall ufw|firewalld   override the firewall chosen for the distribution
  --allow-no-ssh-key     install the sshd drop-in even though the invoking administrator has no authorized_keys
  --skip-ssh             leave sshd alone (then port 22 stays open in the firewall)
  --skip-certbot         do not ask Let's Encrypt for a certificate (put one in /etc/letsencrypt/live/DOMAIN/)
  --skip-firewall        leave the firewall alone
  --dry-run              print every command that would change the system, change nothing (root not needed)
  --help                 this text

The sshd drop-in turns off passwords and root logins. It is only installed when the administrator who runs this
(through sudo: $SUDO_USER) has a non-empty ~/.ssh/authorized_keys, so nobody is locked out; --allow-no-ssh-key
skips that check.
EOF
}

DOMAIN=""
EMAIL=""
FIREWALL=""
DRY_RUN=0
ALLOW_NO_KEY=0
SKIP_SSH=0
SKIP_CERT=0
SKIP_FIREWALL=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --domain) DOMAIN="${2:-}"; shift 2 ;;
    --domain=*) DOMAIN="${1#*=}"; shift ;;
    --email) EMAIL="${2:-}"; shift 2 ;;
    --email=*) EMAIL="${1#*=}"; shift ;;
    --firewall) FIREWALL="${2:-}"; shift 2 ;;
    --firewall=*) FIREWALL="${1#*=}"; shift ;;
    --allow-no-ssh-key) ALLOW_NO_KEY=1; shift ;;
    --skip-ssh) SKIP_SSH=1; shift ;;
    --skip-certbot) SKIP_CERT=1; shift ;;
    --skip-firewall) SKIP_FIREWALL=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'install.sh: unknown option %s (see --help)\n' "$1" >&2; exit 2 ;;
  esac
done

say() { printf 'install.sh: %s\n' "$*"; }
loud() { printf '\n!!! install.sh: %s\n\n' "$*" >&2; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*"; }

# SECURITY: the domain goes into nginx's configuration and certbot's command line: a host name and nothing else.
[[ -n "$DOMAIN" ]] || die "--domain is required (see --help)"
[[ "$DOMAIN" =~ ^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$ ]] || die "--domain $DOMAIN is not a host name"
[[ -z "$EMAIL" || "$EMAIL" =~ ^[^[:space:]@]+@[^[:space:]@]+$ ]] || die "--email $EMAIL is not an e-mail address"
[[ -z "$FIREWALL" || "$FIREWALL" == ufw || "$FIREWALL" == firewalld ]] || die "--firewall must be ufw or firewalld"
if [[ "$DRY_RUN" -eq 0 && "${EUID}" -ne 0 ]]; then die "must run as root (sudo), or with --dry-run"; fi

# shellcheck source=run-or-print.sh
source "$(dirname "${BASH_SOURCE[0]}")/run-or-print.sh"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Installs SRC as DEST with MODE (and OWNER:GROUP) unless DEST already has that content. Returns 0 when it changed.
put_file() {
  local src="$1" dest="$2" mode="$3" owner="${4:-root:root}"
  if [[ -f "$dest" ]] && cmp -s "$src" "$dest"; then
    say "unchanged: $dest"
    return 1
  fi
  run install -D -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$src" "$dest"
  return 0
}

# A copy of an appliance file with the placeholder domain replaced.
render() {
  local src="$1" out
  out="$WORK/$(basename "$src").rendered"
  sed -e "s/aether\\.example\\.com/$DOMAIN/g" "$src" >"$out"
  printf '%s\n' "$out"
}

version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }

# ---------------------------------------------------------------------------------------------------------------
step "Distribution"
[[ -r /etc/os-release ]] || die "/etc/os-release not found: unsupported system"
# shellcheck disable=SC1091 # the host's own file
. /etc/os-release
case " ${ID:-} ${ID_LIKE:-} " in
  *" debian "* | *" ubuntu "*) PKG=apt; FIREWALL="${FIREWALL:-ufw}"; SSH_UNIT=ssh ;;
  *" fedora "* | *" rhel "*) PKG=dnf; FIREWALL="${FIREWALL:-firewalld}"; SSH_UNIT=sshd ;;
  *) die "unsupported distribution ${PRETTY_NAME:-unknown}: Debian, Ubuntu or Fedora are supported" ;;
esac
say "${PRETTY_NAME:-$ID}: packages with $PKG, firewall with $FIREWALL"

# ---------------------------------------------------------------------------------------------------------------
step "Packages"
if [[ "$PKG" == apt ]]; then
  packages=(nginx certbot fail2ban python3-systemd logrotate rsync openssh-server docker.io "$FIREWALL" python3 make g++)
  missing=()
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [[ "${#missing[@]}" -gt 0 ]]; then
    run apt-get update
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  else
    say "all packages present"
  fi
else
  packages=(nginx certbot fail2ban python3-systemd logrotate rsync openssh-server moby-engine "$FIREWALL" policycoreutils-python-utils python3 make gcc-c++)
  missing=()
  for p in "${packages[@]}"; do rpm -q "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [[ "${#missing[@]}" -gt 0 ]]; then
    run dnf install -y "${missing[@]}"
  else
    say "all packages present"
  fi
fi
if [[ "$FIREWALL" == ufw && "$PKG" == dnf ]] || [[ "$FIREWALL" == firewalld && "$PKG" == apt ]]; then
  say "note: $FIREWALL chosen with --firewall; make sure only one firewall manager is active"
fi

# Node.js: the distribution's when it is new enough (Fedora, Ubuntu 24.04+ with a recent nodejs), else the admin's.
node_version() { "$1" -p 'process.versions.node' 2>/dev/null || true; }
NODE_BIN="$(command -v node || true)"
if [[ -z "$NODE_BIN" ]] || ! version_ge "$(node_version "$NODE_BIN")" "$NODE_MIN"; then
  candidate=""
  if [[ "$PKG" == apt ]]; then
    candidate="$(apt-cache policy nodejs 2>/dev/null | awk '/Candidate:/ { print $2 }' | sed -E 's/^[0-9]+://; s/[^0-9.].*$//')"
  else
    candidate="$(dnf -q repoquery --latest-limit 1 --qf '%{version}' nodejs 2>/dev/null | head -n1 || true)"
  fi
  if [[ -n "$candidate" ]] && version_ge "$candidate" "$NODE_MIN"; then
    if [[ "$PKG" == apt ]]; then run env DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm; else run dnf install -y nodejs npm; fi
    NODE_BIN="$(command -v node || echo /usr/bin/node)"
  else
    msg="Node.js >= $NODE_MIN is needed; the distribution offers ${candidate:-none}. Install a current LTS (22 or 24)
    from https://nodejs.org/en/download (official binaries, or the NodeSource packages: https://github.com/nodesource/distributions),
    so that 'node --version' shows v20.19 or later, then run this script again."
    if [[ "$DRY_RUN" -eq 1 ]]; then loud "$msg"; NODE_BIN="${NODE_BIN:-/usr/bin/node}"; else die "$msg"; fi
  fi
else
  say "Node.js $(node_version "$NODE_BIN") at $NODE_BIN"
fi
command -v npm >/dev/null 2>&1 || [[ "$DRY_RUN" -eq 1 ]] || die "npm not found next to node: install npm (apt-get install npm / dnf install nodejs-npm)"

# ---------------------------------------------------------------------------------------------------------------
step "User aether"
getent group docker >/dev/null || run groupadd --system docker
if getent passwd aether >/dev/null; then
  say "user aether exists"
else
  run useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin --comment "Aether Panel" aether
fi
# SECURITY: docker is root-equivalent; it is what the panel is for. adm lets the monitor read sshd and nginx logs.
for group in docker adm; do
  getent group "$group" >/dev/null || continue
  if [[ " $(id -nG aether 2>/dev/null || true) " == *" $group "* ]]; then say "aether is in $group"; else run usermod -aG "$group" aether; fi
done

# ---------------------------------------------------------------------------------------------------------------
step "Release in $PREFIX"
[[ -f "$RELEASE_DIR/dist/ui/index.html" ]] || die "$RELEASE_DIR has no built web UI (dist/ui): run 'npm ci && npm run build:ui' in it first"
app_changed=0
[[ -d "$PREFIX" ]] || run install -d -m 0755 "$PREFIX"
for item in "${RELEASE_ITEMS[@]}"; do
  [[ -e "$RELEASE_DIR/$item" ]] || continue
  # SECURITY: the application is root's and read-only to the panel (the unit makes all of /opt read-only too).
  if [[ -n "$(rsync -ai --delete --dry-run --chown=root:root "$RELEASE_DIR/$item" "$PREFIX/" 2>/dev/null)" ]] || [[ ! -e "$PREFIX/$item" ]]; then
    run rsync -a --delete --chown=root:root "$RELEASE_DIR/$item" "$PREFIX/"
    app_changed=1
  fi
done
[[ "$app_changed" -eq 1 ]] || say "release unchanged"
lock_sum="$(sha256sum "$RELEASE_DIR/package-lock.json" | cut -d' ' -f1)"
if [[ -f "$PREFIX/node_modules/.aether-lock.sha256" && "$(cat "$PREFIX/node_modules/.aether-lock.sha256")" == "$lock_sum" ]]; then
  say "dependencies unchanged"
else
  run npm --prefix "$PREFIX" ci --omit=dev --no-audit --no-fund
  # The log analyzer's bundle, built now because /opt is read-only to the running panel.
  run "$NODE_BIN" --input-type=module -e "process.chdir('$PREFIX'); await (await import('$PREFIX/scripts/analyzer-build.js')).ensureAnalyzer()"
  if [[ "$DRY_RUN" -eq 1 ]]; then say "would record the lockfile's checksum in $PREFIX/node_modules/.aether-lock.sha256"; else printf '%s\n' "$lock_sum" >"$PREFIX/node_modules/.aether-lock.sha256"; fi
  app_changed=1
fi

# ---------------------------------------------------------------------------------------------------------------
step "Directories and config"
for dir in "$CONFIG_DIR" "$DATA_DIR" "$LOG_DIR"; do
  if [[ -d "$dir" && "$(stat -c '%U:%G %a' "$dir")" == "aether:aether 750" ]]; then
    say "unchanged: $dir"
  else
    run install -d -m 0750 -o aether -g aether "$dir"
  fi
done
# fail2ban refuses to start a jail whose log file does not exist yet.
if [[ -f "$LOG_DIR/audit.log" ]]; then say "unchanged: $LOG_DIR/audit.log"; else run install -m 0600 -o aether -g aether /dev/null "$LOG_DIR/audit.log"; fi
if [[ -f "$CONFIG_DIR/config.json" ]]; then
  say "unchanged: $CONFIG_DIR/config.json (kept as it is)"
  if ! grep -q '"trustedProxies"' "$CONFIG_DIR/config.json"; then
    loud "$CONFIG_DIR/config.json has no http.trustedProxies: behind nginx every client would appear as 127.0.0.1.
    Add \"trustedProxies\": [\"127.0.0.1/32\", \"::1/128\"] under \"http\", then: systemctl restart aether"
  fi
else
  # The panel behind nginx: loopback only, nginx's forwarded headers believed, the public HTTPS origin, backups in
  # the state directory (the unit keeps the rest of the file system read-only).
  cat >"$WORK/config.json" <<EOF
{
  "http": { "host": "127.0.0.1", "port": 8080, "trustedProxies": ["127.0.0.1/32", "::1/128"], "publicUrl": "https://$DOMAIN" },
  "backup": { "dir": "$DATA_DIR/backups" }
}
EOF
  put_file "$WORK/config.json" "$CONFIG_DIR/config.json" 0600 aether:aether || true
fi

# ---------------------------------------------------------------------------------------------------------------
step "systemd unit, logrotate"
sed -e "s#^ExecStart=/usr/bin/node #ExecStart=$NODE_BIN #" "$HERE/systemd/aether.service" >"$WORK/aether.service"
unit_changed=0
if put_file "$WORK/aether.service" /etc/systemd/system/aether.service 0644; then unit_changed=1; run systemctl daemon-reload; fi
put_file "$HERE/logrotate/aether" /etc/logrotate.d/aether 0644 || true
if systemctl is-enabled -q docker 2>/dev/null; then say "docker enabled"; else run systemctl enable --now docker; fi
if systemctl is-enabled -q aether 2>/dev/null; then say "aether enabled"; else run systemctl enable aether; fi
if [[ "$unit_changed" -eq 1 || "$app_changed" -eq 1 ]] || ! systemctl is-active -q aether 2>/dev/null; then
  run systemctl restart aether
else
  say "aether running, nothing new"
fi

# ---------------------------------------------------------------------------------------------------------------
step "nginx and Let's Encrypt for $DOMAIN"
[[ -d "$WEBROOT" ]] || run install -d -m 0755 "$WEBROOT"
# Debian's and Ubuntu's welcome site answers on port 80 for any name: the panel's host serves the panel only.
[[ ! -L /etc/nginx/sites-enabled/default ]] || run rm -f /etc/nginx/sites-enabled/default
if systemctl is-enabled -q nginx 2>/dev/null; then say "nginx enabled"; else run systemctl enable --now nginx; fi
# SELinux (Fedora): nginx may only connect to the panel on 127.0.0.1:8080 with this boolean on.
if command -v selinuxenabled >/dev/null 2>&1 && selinuxenabled; then
  if [[ "$(getsebool httpd_can_network_connect 2>/dev/null || true)" == *" on" ]]; then say "SELinux: nginx may connect to the panel"; else run setsebool -P httpd_can_network_connect 1; fi
fi
LIVE="/etc/letsencrypt/live/$DOMAIN"
put_file "$HERE/certbot/aether-reload-nginx.sh" "$DEPLOY_HOOK" 0755 || true
if [[ -f "$LIVE/fullchain.pem" ]]; then
  say "certificate present: $LIVE"
elif [[ "$SKIP_CERT" -eq 1 ]]; then
  loud "--skip-certbot and no certificate in $LIVE: nginx will not load aether.conf until fullchain.pem, privkey.pem and chain.pem are there."
else
  # Port 80 only, until the certificate exists.
  put_file "$(render "$HERE/nginx/aether-acme-only.conf")" "$NGINX_SITE" 0644 || true
  run nginx -t
  run systemctl reload nginx
  certbot_args=(certonly --webroot -w "$WEBROOT" -d "$DOMAIN" --agree-tos --non-interactive --keep-until-expiring)
  if [[ -n "$EMAIL" ]]; then certbot_args+=(--email "$EMAIL"); else certbot_args+=(--register-unsafely-without-email); fi
  run certbot "${certbot_args[@]}"
fi
if [[ -f "$LIVE/fullchain.pem" || "$DRY_RUN" -eq 1 ]]; then
  sed -e "s/aether\\.example\\.com/$DOMAIN/g" "$HERE/nginx/aether.conf" >"$WORK/aether.conf"
  # The OCSP resolver: the host's own (the first nameserver of resolv.conf), IPv6 in brackets.
  ns="$(awk '/^nameserver/ { print $2; exit }' /etc/resolv.conf 2>/dev/null || true)"
  if [[ "$ns" =~ ^[0-9a-fA-F:.]+$ ]]; then
    [[ "$ns" == *:* ]] && ns="[$ns]"
    sed -i -e "s/^    resolver 127\\.0\\.0\\.53 /    resolver $ns /" "$WORK/aether.conf"
  fi
  if put_file "$WORK/aether.conf" "$NGINX_SITE" 0644; then
    run nginx -t
    run systemctl reload nginx
  fi
fi
# certbot's renewal timer: certbot.timer (Debian, Ubuntu), certbot-renew.timer (Fedora).
for timer in certbot.timer certbot-renew.timer; do
  systemctl cat "$timer" >/dev/null 2>&1 || continue
  if systemctl is-enabled -q "$timer" 2>/dev/null; then say "$timer enabled"; else run systemctl enable --now "$timer"; fi
done
[[ "$DRY_RUN" -eq 1 || ! -f "$LIVE/fullchain.pem" ]] || say "test the renewal with: certbot renew --dry-run"

# ---------------------------------------------------------------------------------------------------------------
step "fail2ban"
f2b_changed=0
put_file "$HERE/fail2ban/filter.d/aether.conf" /etc/fail2ban/filter.d/aether.conf 0644 && f2b_changed=1
put_file "$HERE/fail2ban/jail.d/aether.local" /etc/fail2ban/jail.d/aether.local 0644 && f2b_changed=1
if [[ "$f2b_changed" -eq 1 ]]; then
  run fail2ban-client --test
  if systemctl is-active -q fail2ban 2>/dev/null; then run fail2ban-client reload; fi
fi
if systemctl is-enabled -q fail2ban 2>/dev/null && systemctl is-active -q fail2ban 2>/dev/null; then say "fail2ban running"; else run systemctl enable --now fail2ban; fi

# ---------------------------------------------------------------------------------------------------------------
step "sshd: port 2022, keys only"
ssh_done=0
admin="${SUDO_USER:-root}"
admin_home="$(getent passwd "$admin" | cut -d: -f6)"
keys="${admin_home:-/nonexistent}/.ssh/authorized_keys"
if [[ "$SKIP_SSH" -eq 1 ]]; then
  say "--skip-ssh: sshd left alone"
elif [[ "$ALLOW_NO_KEY" -eq 0 && "$admin" == root ]]; then
  loud "NOT installing the sshd drop-in: it forbids root logins, and this script was not run through sudo by an
    administrator account. Log in as your own user (with an SSH key), run it with sudo, or pass --allow-no-ssh-key."
elif [[ "$ALLOW_NO_KEY" -eq 0 ]] && ! grep -qE '^[^#[:space:]]' "$keys" 2>/dev/null; then
  loud "NOT installing the sshd drop-in: $keys holds no key, and the drop-in turns passwords off.
    Add your public key there (ssh-copy-id), check that a key login works, then run this again (or pass --allow-no-ssh-key)."
else
  [[ "$ALLOW_NO_KEY" -eq 0 ]] || say "--allow-no-ssh-key: the authorized_keys check is skipped"
  grep -qsE '^[[:space:]]*Include[[:space:]]+/etc/ssh/sshd_config\.d/\*\.conf' /etc/ssh/sshd_config ||
    loud "/etc/ssh/sshd_config does not include /etc/ssh/sshd_config.d/*.conf at its top: add that line first, or sshd ignores the drop-in."
  # SELinux (Fedora): sshd may only bind ports labelled ssh_port_t.
  if command -v selinuxenabled >/dev/null 2>&1 && selinuxenabled; then
    if [[ "$(semanage port -l 2>/dev/null | awk '$1 == "ssh_port_t"' || true)" =~ [^0-9]2022([^0-9]|$) ]]; then say "SELinux: 2022 is an ssh port"; else run semanage port -a -t ssh_port_t -p tcp 2022; fi
  fi
  previous=""
  if [[ -f "$SSHD_DROPIN" ]]; then previous="$WORK/sshd-dropin.previous"; cp "$SSHD_DROPIN" "$previous"; fi
  if put_file "$HERE/ssh/aether-sshd.conf" "$SSHD_DROPIN" 0644; then
    # SECURITY: never reload an sshd configuration that does not check out; put the old one back instead.
    if [[ "$DRY_RUN" -eq 1 ]]; then
      printf 'would run: %s\n' "sshd -t (then reload $SSH_UNIT, or put the previous drop-in back if it fails)"
    elif ! sshd -t; then
      if [[ -n "$previous" ]]; then cp "$previous" "$SSHD_DROPIN"; else rm -f "$SSHD_DROPIN"; fi
      die "sshd -t rejects the configuration with $SSHD_DROPIN; the previous state is restored, sshd was not reloaded"
    elif systemctl is-active -q ssh.socket 2>/dev/null; then
      # Ubuntu 24.04+: sshd is socket-activated, and the socket's ports come from sshd_config at daemon-reload.
      run systemctl daemon-reload
      run systemctl restart ssh.socket
    else
      run systemctl reload "$SSH_UNIT"
    fi
  fi
  ssh_done=1
fi

# ---------------------------------------------------------------------------------------------------------------
step "Firewall ($FIREWALL)"
if [[ "$SKIP_FIREWALL" -eq 1 ]]; then
  say "--skip-firewall: firewall left alone"
else
  fw_args=()
  [[ "$DRY_RUN" -eq 0 ]] || fw_args+=(--dry-run)
  # Without the keys-only sshd on 2022, port 22 must stay.
  [[ "$ssh_done" -eq 1 ]] || fw_args+=(--keep-22)
  if [[ "$DRY_RUN" -eq 1 ]]; then
    printf 'would run: %s\n' "bash $HERE/firewall/$FIREWALL.sh ${fw_args[*]}"
  fi
  # The firewall script has its own dry-run: it reads the current rules and prints the commands it would run.
  bash "$HERE/firewall/$FIREWALL.sh" "${fw_args[@]}"
fi

# ---------------------------------------------------------------------------------------------------------------
step "Done"
if [[ "$DRY_RUN" -eq 1 ]]; then
  say "dry run: $CHANGES command(s) above would run; nothing was changed"
elif [[ "$CHANGES" -eq 0 ]]; then
  say "nothing to change: everything was already installed"
else
  say "$CHANGES change(s) made"
fi
cat <<EOF

Next:
  - the first administrator: journalctl -u aether | grep -i setup   (a one-time link; open it at https://$DOMAIN)
  - SSH: keep this session open and try  ssh -p 2022 $admin@$DOMAIN  in another terminal
  - certificate renewal: certbot renew --dry-run
  - the security checklist: sudo -u aether AETHER_CONFIG=$CONFIG_DIR/config.json $NODE_BIN $PREFIX/bin/aether.js check
EOF
