#!/usr/bin/env bash
# What a publish run does, runnable anywhere (the publish workflow calls it; so can you):
#   make setup -> [fetch the day's digest] -> paper-archive build --site-url URL
#   -> paper-archive check --site site (links, day and paper pages, search index, sizes)
# The site is left in site/; committing and deploying are the workflow's business. The
# project's test suite is CI's (.ci/run): it checks the code, this checks what is published.
#
# Usage: .github/publish.sh [--fetch [--date YYYY-MM-DD] [--api-url URL] [--always-build]]
#                           [--site-url URL]
#   --fetch         download the day's digest first (paper-archive fetch; default day: today, UTC)
#   --date DAY      the day to fetch
#   --api-url URL   the daily papers endpoint (default: paper-archive's own)
#   --always-build  build even when the fetch found nothing new
#   --site-url URL  the public URL of the site (default: site_url of mkdocs.yml)
# Exit status: 0 when the site was built and checked; 3 with --fetch when there was nothing new (and so,
# without --always-build, nothing built); anything else is a failure, and site/ is then
# left as it was.
set -euo pipefail
cd "$(dirname "$0")/.."

EXIT_NOTHING_NEW=3
fetch=false
always_build=false
site_url=""
fetch_args=()

usage() { sed -n '/^# Usage:/,/^set -euo/s/^# \{0,1\}//p' "$0" >&2; exit "${1:-2}"; }
need_value() { [[ $# -ge 2 && -n "$2" ]] || { echo "publish.sh: $1 needs a value" >&2; usage; }; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --fetch) fetch=true; shift ;;
    --always-build) always_build=true; shift ;;
    --date|--api-url) need_value "$@"; fetch_args+=("$1" "$2"); shift 2 ;;
    --site-url) need_value "$@"; site_url="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "publish.sh: unknown option: $1" >&2; usage ;;
  esac
done
if [[ ${#fetch_args[@]} -gt 0 && $fetch == false ]]; then
  echo "publish.sh: --date and --api-url only make sense with --fetch" >&2
  exit 2
fi

make setup

status=0  # of the fetch
if [[ $fetch == true ]]; then
  .venv/bin/paper-archive fetch ${fetch_args[@]+"${fetch_args[@]}"} || status=$?
  if [[ $status -eq $EXIT_NOTHING_NEW ]]; then
    if [[ $always_build == false ]]; then
      echo "publish.sh: nothing new; not building"
      exit "$EXIT_NOTHING_NEW"
    fi
  elif [[ $status -ne 0 ]]; then
    exit "$status"
  fi
fi

build_args=()
if [[ -n $site_url ]]; then
  build_args+=(--site-url "$site_url")
fi
.venv/bin/paper-archive build ${build_args[@]+"${build_args[@]}"}
.venv/bin/paper-archive check --site site ${build_args[@]+"${build_args[@]}"}
