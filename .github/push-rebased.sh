#!/usr/bin/env bash
# Push this branch's new commits to BRANCH of REMOTE, first rebasing them onto its tip, and
# again after a few seconds when a push in between made ours a non-fast-forward.
# The publish workflow's commit only adds digest files and appends to content/permalinks.lock,
# so a rebase conflict is a real clash (say, a digest of the same day pushed by hand): it is
# reported, the rebase undone, and nothing pushed.
#
# Usage: .github/push-rebased.sh REMOTE BRANCH
#   REMOTE  a remote name or URL (the workflow's carries its token, so it comes through env)
#   BRANCH  the branch to push to
# Environment: PUSH_ATTEMPTS (default 5), PUSH_RETRY_DELAY (seconds before the second
# attempt, doubling after each; default 2). Commits need GIT_COMMITTER_NAME/EMAIL or git config.
# Exit status: 0 when pushed (or nothing to push); 1 on a rebase conflict or when every
# attempt was rejected.
set -euo pipefail

if [[ $# -ne 2 || -z $1 || -z $2 ]]; then
  echo "Usage: .github/push-rebased.sh REMOTE BRANCH" >&2
  exit 2
fi
remote=$1
branch=$2
attempts=${PUSH_ATTEMPTS:-5}
delay=${PUSH_RETRY_DELAY:-2}

for ((attempt = 1; ; attempt++)); do
  git fetch --quiet "$remote" "refs/heads/$branch"
  if ! said=$(git rebase --quiet --autostash FETCH_HEAD 2>&1); then
    conflicts=$(git diff --name-only --diff-filter=U | paste -sd ' ' -)
    git rebase --abort 2>/dev/null || true
    if [[ -z $conflicts ]]; then
      echo "$said" >&2  # not a conflict: git's own words say what went wrong
      echo "push-rebased.sh: git rebase failed; nothing was pushed." >&2
      exit 1
    fi
    echo "push-rebased.sh: cannot rebase onto the new tip of $branch: both changed $conflicts." >&2
    echo "Nothing was pushed. The publish workflow only adds digests and appends to the lock, so" >&2
    echo "a push in between changed them too: look at it, then run the workflow again." >&2
    exit 1
  fi
  if git push --quiet "$remote" "HEAD:refs/heads/$branch"; then
    echo "Pushed to $branch on attempt $attempt of $attempts."
    exit 0
  fi
  if ((attempt >= attempts)); then
    echo "push-rebased.sh: $branch kept moving: the push was rejected $attempts times; nothing was pushed." >&2
    exit 1
  fi
  echo "The push was rejected (attempt $attempt of $attempts): rebasing onto $branch again in ${delay} s."
  sleep "$delay"
  delay=$((delay * 2))
done
