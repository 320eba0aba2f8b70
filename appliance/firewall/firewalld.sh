#!/usr/bin/env bash
# Host firewall of an Aether Panel appliance with firewalld (Fedora, RHEL): opens exactly the ports of common.sh in the
# default zone, then removes SSH's port 22, but only once sshd answers on 2022. Safe to run again: a second run
# changes nothing and says so.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: firewalld.sh [--dry-run] [--keep-22] [--help]

Opens 8080/tcp (panel), 5657/tcp (SFTP), 8081/tcp (Gatus), 2022/tcp (SSH), 80/tcp and 443/tcp (nginx, certbot)
in firewalld's default zone (permanently), and removes the ssh service (port 22) once sshd answers on port 2022
(appliance/ssh/aether-sshd.conf installed and sshd reloaded). If nothing answers on 2022, port 22 stays open and
a warning says so. Then firewalld reloads its rules.

  --dry-run   print every command that would change the firewall, change nothing (root not needed)
  --keep-22   never close port 22
  --help      this text

Run it again at any time: rules already there are left alone, and a run with nothing to do says so.
Keep your current SSH session open and try a new login on port 2022 before you log out.
On Fedora with SELinux, sshd may only listen on 2022 after: semanage port -a -t ssh_port_t -p tcp 2022
EOF
}

SCRIPT=firewalld.sh
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# The current state, read from firewalld itself. firewall-cmd only works while firewalld runs.
ports=""
services="ssh"
if ! command -v firewall-cmd >/dev/null 2>&1; then
  if [[ "$DRY_RUN" -eq 0 ]]; then
    printf 'firewalld.sh: firewalld is not installed: dnf install firewalld (or use ufw.sh)\n' >&2
    exit 1
  fi
  say "firewalld is not installed: showing what a fresh firewalld (default zone with ssh) would need"
elif ! firewall-cmd --state >/dev/null 2>&1; then
  # Its default zone lets ssh (22) in, so starting it does not cut the current session.
  run systemctl enable --now firewalld
  if [[ "$DRY_RUN" -eq 1 ]]; then
    say "firewalld is not running: the rest assumes a fresh default zone (with ssh)"
  else
    ports="$(firewall-cmd --permanent --list-ports)"
    services="$(firewall-cmd --permanent --list-services)"
  fi
else
  ports="$(firewall-cmd --permanent --list-ports)"
  services="$(firewall-cmd --permanent --list-services)"
fi
# Whether a space-separated list holds a word.
holds() { [[ " $1 " == *" $2 "* ]]; }

for port in "${PORTS[@]}"; do
  if holds "$ports" "$port"; then
    say "$port already open"
  else
    run firewall-cmd --permanent "--add-port=$port"
  fi
done

close_22=0
if should_close_22; then close_22=1; fi

if [[ "$close_22" -eq 1 ]]; then
  say "sshd answers on $SSH_CHECK_HOST:$SSH_CHECK_PORT: closing port 22"
  closed=1
  if holds "$services" ssh; then run firewall-cmd --permanent --remove-service=ssh; closed=0; fi
  if holds "$ports" 22/tcp; then run firewall-cmd --permanent --remove-port=22/tcp; closed=0; fi
  if [[ "$closed" -eq 1 ]]; then say "port 22 already closed"; fi
elif holds "$services" ssh || holds "$ports" 22/tcp; then
  say "port 22 already open"
else
  run firewall-cmd --permanent --add-service=ssh
fi

if [[ "$CHANGES" -eq 0 ]]; then
  say "nothing to change: the firewall already matches"
  exit 0
fi
# Permanent rules take effect at the reload.
run firewall-cmd --reload
if [[ "$DRY_RUN" -eq 1 ]]; then
  say "dry run: the command(s) above would run; nothing was changed"
else
  say "changes made and loaded"
  firewall-cmd --list-ports
  firewall-cmd --list-services
fi
