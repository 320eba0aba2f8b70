#!/usr/bin/env bash
# Host firewall of an Aether Panel appliance with ufw (Debian, Ubuntu): opens exactly the ports of common.sh, then closes
# SSH's port 22, but only once sshd answers on 2022. Safe to run again: a second run changes nothing and says so.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: ufw.sh [--dry-run] [--keep-22] [--help]

Opens 8080/tcp (panel), 5657/tcp (SFTP), 8081/tcp (Gatus), 2022/tcp (SSH), 80/tcp and 443/tcp (nginx, certbot)
with ufw, and denies 22/tcp once sshd answers on port 2022 (appliance/ssh/aether-sshd.conf installed and sshd
reloaded). If nothing answers on 2022, port 22 is kept open (allowed) and a warning says so. Then ufw is enabled.

  --dry-run   print every command that would change the firewall, change nothing (root not needed)
  --keep-22   never close port 22
  --help      this text

Run it again at any time: rules already there are left alone, and a run with nothing to do says so.
Keep your current SSH session open and try a new login on port 2022 before you log out.
EOF
}

SCRIPT=ufw.sh
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if ! command -v ufw >/dev/null 2>&1; then
  if [[ "$DRY_RUN" -eq 0 ]]; then
    printf 'ufw.sh: ufw is not installed: apt-get install ufw (or use firewalld.sh)\n' >&2
    exit 1
  fi
  say "ufw is not installed: showing what a fresh ufw would need"
fi

# The current state, read from ufw itself: the rules added (also while ufw is inactive) and whether it is active.
added=""
active=0
if command -v ufw >/dev/null 2>&1; then
  if added="$(ufw show added 2>/dev/null)"; then
    :
  elif [[ "$DRY_RUN" -eq 1 ]]; then
    say "could not read the rules (not root?): showing what a fresh ufw would need"
    added=""
  else
    printf 'ufw.sh: "ufw show added" failed\n' >&2
    exit 1
  fi
  status="$(ufw status 2>/dev/null || true)"
  if grep -q '^Status: active' <<<"$status"; then active=1; fi
fi
has_rule() { grep -qxF "ufw $1" <<<"$added"; }

for port in "${PORTS[@]}"; do
  if has_rule "allow $port"; then
    say "$port already allowed"
  else
    run ufw allow "$port"
  fi
done

# Rules that let port 22 in, which must go before a deny can take effect (ufw applies the first matching rule).
ssh22_allows=()
while IFS= read -r line; do
  ssh22_allows+=("${line#ufw }")
done < <(grep -E '^ufw (allow|limit) (in )?(22|22/tcp|ssh|ssh/tcp|OpenSSH)$' <<<"$added" || true)

close_22=0
if should_close_22; then close_22=1; fi

if [[ "$close_22" -eq 1 ]]; then
  say "sshd answers on $SSH_CHECK_HOST:$SSH_CHECK_PORT: closing port 22"
  for rule in "${ssh22_allows[@]}"; do
    # shellcheck disable=SC2086 # the rule is words ufw expects as separate arguments ("allow 22/tcp")
    run ufw delete $rule
  done
  if has_rule "deny 22/tcp"; then
    say "22/tcp already denied"
  else
    run ufw deny 22/tcp
  fi
else
  if has_rule "deny 22/tcp"; then
    # A deny from an earlier run would win over any allow: it goes first.
    run ufw delete deny 22/tcp
  fi
  if [[ "${#ssh22_allows[@]}" -gt 0 ]]; then
    say "port 22 already allowed"
  else
    # ufw denies incoming by default: without this rule, enabling it would cut an SSH session on port 22.
    run ufw allow 22/tcp
  fi
fi

if [[ "$active" -eq 1 ]]; then
  say "ufw already active"
else
  run ufw --force enable
fi

if [[ "$CHANGES" -eq 0 ]]; then
  say "nothing to change: the firewall already matches"
elif [[ "$DRY_RUN" -eq 1 ]]; then
  say "dry run: $CHANGES command(s) above would run; nothing was changed"
else
  say "$CHANGES change(s) made"
  ufw status verbose
fi
