# shellcheck shell=bash
# The dry-run helper install.sh and the firewall scripts share: run() carries a command out, or with DRY_RUN=1 only
# prints it, and counts it in CHANGES either way (so a second run can say that nothing changed).

CHANGES=0
run() {
  CHANGES=$((CHANGES + 1))
  if [[ "${DRY_RUN:-0}" -eq 1 ]]; then
    printf 'would run: %s\n' "$*"
  else
    printf 'running: %s\n' "$*"
    "$@"
  fi
}
