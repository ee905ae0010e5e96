#!/usr/bin/env bash
# Fails if any module in redisrate's build list (go list -m all) declares a
# go directive above the one redisrate promises its users, go 1.25.
#
#   testdata/check-go-directives.sh        # prints each module's go directive
set -euo pipefail
cd "$(dirname "$0")/.."

max=1.25.0
go mod download all
status=0
while read -r mod gomod; do
  v=$(awk '$1 == "go" { print $2; exit }' "$gomod")
  v=${v:-"(none)"}
  printf '%-72s go %s\n' "$mod" "$v"
  if [ "$v" != "(none)" ] && [ "$(printf '%s\n%s\n' "$v" "$max" | sort -V | tail -1)" != "$max" ]; then
    echo "check-go-directives: $mod needs go $v, above $max" >&2
    status=1
  fi
done < <(go list -m -f '{{if not .Main}}{{.Path}}@{{.Version}} {{.GoMod}}{{end}}' all)
if [ "$(awk '$1 == "go" { print $2; exit }' go.mod)" != "$max" ]; then
  echo "check-go-directives: redisrate's own go.mod does not say go $max" >&2
  status=1
fi
exit $status
