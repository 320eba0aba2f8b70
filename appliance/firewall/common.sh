# shellcheck shell=bash
# What ufw.sh and firewalld.sh share: the open ports, their options, dry-run, and the check that sshd answers on 2022
# before port 22 is closed. Sourced by them (SCRIPT names the caller; usage() is the caller's own).

# The open ports. Nothing else is let in.
# shellcheck disable=SC2034 # used by the scripts that source this file
PORTS=(
  8080/tcp # web panel and API (direct access; behind nginx it may be limited to trusted addresses by hand)
  5657/tcp # SFTP into the servers' files
  8081/tcp # Gatus uptime page
  2022/tcp # host SSH, keys only (appliance/ssh/aether-sshd.conf)
  80/tcp   # nginx: Let's Encrypt HTTP-01 challenges (certbot --webroot) and the redirect to HTTPS
  443/tcp  # nginx: the panel over HTTPS
)
# Port 22 is closed only when something answers an SSH banner here (overridable for testing).
SSH_CHECK_HOST="${AETHER_SSH_CHECK_HOST:-127.0.0.1}"
SSH_CHECK_PORT="${AETHER_SSH_CHECK_PORT:-2022}"

DRY_RUN=0
KEEP_22=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    --keep-22) KEEP_22=1 ;;
    -h | --help) usage; exit 0 ;;
    *) printf '%s: unknown option %s (see --help)\n' "$SCRIPT" "$arg" >&2; exit 2 ;;
  esac
done

say() { printf '%s: %s\n' "$SCRIPT" "$*"; }
loud() { printf '\n!!! %s: %s\n\n' "$SCRIPT" "$*" >&2; }

if [[ "$DRY_RUN" -eq 0 && "${EUID}" -ne 0 ]]; then
  printf '%s: must run as root (or with --dry-run)\n' "$SCRIPT" >&2
  exit 1
fi

# Runs a command that changes the firewall, or only prints it in dry-run mode.
# shellcheck source=../run-or-print.sh
source "$(dirname "${BASH_SOURCE[0]}")/../run-or-print.sh"

# True when an SSH server answers with its banner ("SSH-...") on the given address.
ssh_answers() {
  local banner
  # shellcheck disable=SC2016 # $0 and $1 are expanded by the inner bash, which gets host and port as arguments
  banner="$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"; head -c 4 <&3' "$1" "$2" 2>/dev/null || true)"
  [[ "$banner" == "SSH-" ]]
}

# Whether port 22 may be closed now: not with --keep-22, and only while sshd answers on 2022 (else a loud warning
# says why it stays open, so nobody is locked out).
should_close_22() {
  if [[ "$KEEP_22" -eq 1 ]]; then
    say "--keep-22: port 22 stays open"
    return 1
  fi
  if ssh_answers "$SSH_CHECK_HOST" "$SSH_CHECK_PORT"; then return 0; fi
  loud "NOTHING ANSWERS SSH ON $SSH_CHECK_HOST:$SSH_CHECK_PORT. Port 22 stays OPEN so you are not locked out.
    Install appliance/ssh/aether-sshd.conf, check it with 'sshd -t', reload sshd, log in on port 2022, then run this again."
  return 1
}
