"""The GitHub Actions workflows and .github/publish.sh: linted, secure, and running the README's commands.

actionlint and zizmor come with the test extras (``make setup``); a missing one fails.
publish.sh's control flow is exercised with stand-ins for ``make`` and ``paper-archive``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH_SH = ROOT / ".github" / "publish.sh"
PUSH_SH = ROOT / ".github" / "push-rebased.sh"
CI_RUN = ROOT / ".ci" / "run"
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def tool(name: str) -> str:
    """A linter from the test extras: next to this Python first, then on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if not found:
        pytest.fail(
            f"{name} is not installed: it is in the test extras (pip install -e '.[test]', or make setup)"
        )
    return found


def load(name: str) -> dict[Any, Any]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the bare key `on` as true
    return workflow


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job.get("steps", [])


def uses(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [s for s in steps(job) if s.get("uses", "").split("@")[0] == action]


def all_jobs() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path.name, name, job)
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for name, job in load(path.name)["jobs"].items()
    ]


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", text, flags=re.MULTILINE))


def make_calls(text: str) -> set[str]:
    """Targets of `make` run as a command: at the start of a line or after `run:`, `;`, `&&`, `||`."""
    return set(re.findall(r"(?:^|run:|;|&&|\|\|)[ \t]*make[ \t]+([A-Za-z][\w.-]*)", text, flags=re.MULTILINE))


# --- linters -------------------------------------------------------------------------------


def test_workflows_exist():
    assert sorted(p.name for p in WORKFLOWS.glob("*.yml")) == ["ci.yml", "publish.yml"]


def test_workflows_pass_actionlint():
    result = subprocess.run(
        [tool("actionlint"), "-no-color", *sorted(str(p) for p in WORKFLOWS.glob("*.yml"))],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_workflows_have_no_high_severity_zizmor_finding():
    result = subprocess.run(
        [tool("zizmor"), "--offline", "--format", "json", "--no-progress", str(WORKFLOWS)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.stdout.strip(), f"zizmor printed no JSON (exit {result.returncode}): {result.stderr}"
    findings = json.loads(result.stdout)
    high = [
        f"{f['ident']}: {f['desc']} at {f['locations'][0]['symbolic']['key']}"
        f" line {f['locations'][0]['concrete']['location']['start_point']['row'] + 1}"
        for f in findings
        if f["determinations"]["severity"] == "High" and not f.get("ignored")
    ]
    assert high == []


# --- the same commands as the README -------------------------------------------------------


def test_workflows_only_call_make_targets_that_exist():
    scripts = [PUBLISH_SH, CI_RUN, *sorted(WORKFLOWS.glob("*.yml"))]
    called = {path.name: make_calls(path.read_text(encoding="utf-8")) for path in scripts}
    missing = {
        name: sorted(targets - make_targets()) for name, targets in called.items() if targets - make_targets()
    }
    assert missing == {}
    assert called["publish.sh"] == {"setup"}  # the test suite is CI's, not the publish job's
    assert "test" in called["run"]


def test_publish_builds_like_make_site():
    """publish.sh runs the recipe of `make site`, adding only the Pages URL."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^site:.*\n\t(.+)$", makefile, flags=re.MULTILINE)
    assert recipe, "the Makefile has no `site` target with a recipe"
    command = recipe.group(1).replace("$(BIN)", ".venv/bin")
    assert command == ".venv/bin/paper-archive build"
    assert f"{command} " in PUBLISH_SH.read_text(encoding="utf-8")


def test_readme_documents_make_site_and_make_test():
    readme = ROOT / "README.md"
    assert readme.is_file(), "README.md is missing: it must document `make site` and `make test`"
    text = readme.read_text(encoding="utf-8")
    assert "make site" in text
    assert "make test" in text


# --- publish.yml ---------------------------------------------------------------------------


def test_publish_runs_on_push_schedule_and_dispatch():
    on = load("publish.yml")["on"]
    assert on["push"]["branches"] == ["main"]
    assert {"content/**", "site_templates/**", "generator/**", "mkdocs.yml", "pyproject.toml"} <= set(
        on["push"]["paths"]
    )
    [schedule] = on["schedule"]
    assert len(schedule["cron"].split()) == 5
    assert on["workflow_dispatch"]["inputs"]["date"]["required"] is False


def test_publish_permissions_are_per_job_and_minimal():
    workflow = load("publish.yml")
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["fetch"]["permissions"] == {"contents": "write", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    for file, name, job in all_jobs():
        granted = job.get("permissions", {})
        if (file, name) != ("publish.yml", "deploy"):
            assert "write" not in (granted.get("pages"), granted.get("id-token")), (file, name)
        if (file, name) != ("publish.yml", "fetch"):
            assert granted.get("contents") != "write", (file, name)


def test_publish_deploys_one_at_a_time_and_queues_every_run():
    """One group for the whole workflow, nothing cancelled, and more than one pending run kept.

    Without ``queue: max`` GitHub keeps one pending run per group and cancels it for a newer one.
    """
    workflow = load("publish.yml")
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False, "queue": "max"}
    for name, job in workflow["jobs"].items():
        assert "concurrency" not in job, name  # a job-level group would let a run's jobs interleave


def test_publish_builds_the_branch_tip_not_the_triggering_commit():
    """A queued run may start after later pushes; it checks out the tip, so it never deploys an older site."""
    [checkout] = uses(load("publish.yml")["jobs"]["fetch"], "actions/checkout")
    assert checkout["with"]["ref"] == "${{ github.ref }}"


def test_publish_uses_the_official_pages_actions():
    jobs = load("publish.yml")["jobs"]
    fetch, deploy = jobs["fetch"], jobs["deploy"]
    [python] = uses(fetch, "actions/setup-python")
    assert python["with"]["cache"] == "pip"
    assert python["with"]["cache-dependency-path"] == "pyproject.toml"
    assert len(uses(fetch, "actions/configure-pages")) == 1
    [upload] = uses(fetch, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "site"
    assert len(uses(deploy, "actions/deploy-pages")) == 1
    assert deploy["needs"] == "fetch"
    assert deploy["environment"]["name"] == "github-pages"


def test_publish_fetches_the_missing_days_then_builds_only_when_there_is_something_new():
    jobs = load("publish.yml")["jobs"]
    job_steps = steps(jobs["fetch"])
    [fetch] = [s for s in job_steps if s.get("id") == "fetch"]
    assert fetch["if"] == "github.event_name != 'push'"
    assert "make setup\n" in fetch["run"]
    assert "args=(--missing)" in fetch["run"]  # scheduled, or manual without a day: back-fill
    assert 'args=(--date "$DAY")' in fetch["run"]
    assert "3) " in fetch["run"]  # fetch's EXIT_NOTHING_NEW is not a failure
    assert fetch["env"]["DAY"] == "${{ inputs.date }}"
    [publish] = [s for s in job_steps if s.get("id") == "publish"]
    assert job_steps.index(fetch) < job_steps.index(publish)
    assert publish["if"] == "github.event_name != 'schedule' || steps.fetch.outputs.new == 'true'"
    assert publish["run"].startswith(".github/publish.sh --site-url ")
    later = job_steps[job_steps.index(publish) + 1 :]
    assert all(s["if"] == "steps.publish.outputs.built == 'true'" for s in later)
    assert jobs["deploy"]["if"] == "needs.fetch.outputs.built == 'true'"


def test_publish_commits_then_rebases_and_retries_the_push():
    job_steps = steps(load("publish.yml")["jobs"]["fetch"])
    [commit] = [s for s in job_steps if ".github/push-rebased.sh" in s.get("run", "")]
    [upload] = uses(load("publish.yml")["jobs"]["fetch"], "actions/upload-pages-artifact")
    assert job_steps.index(commit) < job_steps.index(upload)  # nothing deployed that was not pushed
    assert "content/permalinks.lock" in commit["run"]
    assert "git push" not in commit["run"]  # only through the script, which rebases first
    assert commit["run"].rstrip().endswith('"$BRANCH"')
    assert commit["env"]["BRANCH"] == "${{ github.ref_name }}"
    assert {"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"} <= set(
        commit["env"]
    )  # the rebase writes commits too


def test_workflows_pin_actions_keep_credentials_and_expressions_out_of_scripts():
    for file, name, job in all_jobs():
        for step in steps(job):
            if "uses" in step:
                assert SHA_PIN.match(step["uses"]), (file, name, step["uses"])
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, (file, name)
            # inputs reach scripts through env, never spliced into the script text
            assert "${{" not in step.get("run", ""), (file, name, step.get("name"))


# --- ci.yml --------------------------------------------------------------------------------


def test_ci_runs_the_full_suite_with_a_real_browser():
    workflow = load("ci.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    [job] = workflow["jobs"].values()
    assert job["env"]["PAPER_ARCHIVE_REQUIRE_BROWSER"] == "1"
    scripts = "\n".join(s.get("run", "") for s in steps(job))
    assert re.search(r"apt-get install[^\n]*(\\\n[^\n]*)*\bchromium\b", scripts)
    assert ".ci/run" in scripts
    assert "make test" in CI_RUN.read_text(encoding="utf-8")


# --- publish.sh ------------------------------------------------------------------------------


@pytest.fixture
def stand_ins(tmp_path: Path) -> Path:
    """A checkout with publish.sh, where `make` and `paper-archive` only log their arguments.

    ``FETCH_STATUS`` and ``CHECK_STATUS`` set the stand-in fetch's and check's exit status.
    """
    (tmp_path / ".github").mkdir()
    shutil.copy2(PUBLISH_SH, tmp_path / ".github" / "publish.sh")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    log = 'echo "$(basename "$0") $*" >> "$LOG"'
    scripts = {
        bin_dir / "paper-archive": f'#!/bin/sh\n{log}\n[ "$1" = fetch ] && exit "${{FETCH_STATUS:-0}}"\n'
        f'[ "$1" = check ] && exit "${{CHECK_STATUS:-0}}"\nexit 0\n',
        tmp_path / "stubs" / "make": f"#!/bin/sh\n{log}\n",
    }
    for path, text in scripts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        path.chmod(0o755)
    return tmp_path


def run_publish(
    root: Path, *args: str, fetch_status: int = 0, check_status: int = 0
) -> tuple[int, list[str], str]:
    log = root / "calls.log"
    log.unlink(missing_ok=True)
    env = {
        **os.environ,
        "PATH": f"{root / 'stubs'}{os.pathsep}{os.environ['PATH']}",
        "LOG": str(log),
        "FETCH_STATUS": str(fetch_status),
        "CHECK_STATUS": str(check_status),
    }
    result = subprocess.run(
        ["bash", str(root / ".github" / "publish.sh"), *args],
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return result.returncode, calls, result.stdout + result.stderr


def test_publish_sh_is_executable_bash():
    assert PUBLISH_SH.stat().st_mode & stat.S_IXUSR
    assert PUBLISH_SH.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in PUBLISH_SH.read_text(encoding="utf-8")
    assert subprocess.run(["bash", "-n", str(PUBLISH_SH)]).returncode == 0


def test_publish_sh_builds_with_the_site_url_then_checks_the_site(stand_ins):
    status, calls, _ = run_publish(stand_ins, "--site-url", "https://me.github.io/papers/")
    assert status == 0
    assert calls == [
        "make setup",
        "paper-archive build --site-url https://me.github.io/papers/",
        "paper-archive check --site site --site-url https://me.github.io/papers/",
    ]


def test_publish_sh_without_site_url_builds_like_make_site(stand_ins):
    assert run_publish(stand_ins)[:2] == (
        0,
        ["make setup", "paper-archive build", "paper-archive check --site site"],
    )


def test_publish_sh_fails_when_the_site_check_fails(stand_ins):
    status, calls, _ = run_publish(stand_ins, check_status=1)
    assert (status, calls[-1]) == (1, "paper-archive check --site site")


def test_publish_sh_runs_no_tests():
    assert "make test" not in PUBLISH_SH.read_text(encoding="utf-8")


def test_publish_sh_fetches_first(stand_ins):
    status, calls, _ = run_publish(stand_ins, "--fetch", "--date", "2025-07-07", "--site-url", "http://x/")
    assert status == 0
    assert calls == [
        "make setup",
        "paper-archive fetch --date 2025-07-07",
        "paper-archive build --site-url http://x/",
        "paper-archive check --site site --site-url http://x/",
    ]


def test_publish_sh_stops_when_nothing_is_new(stand_ins):
    status, calls, output = run_publish(stand_ins, "--fetch", fetch_status=3)
    assert (status, calls) == (3, ["make setup", "paper-archive fetch"])
    assert "nothing new; not building" in output


def test_publish_sh_always_build_builds_even_when_nothing_is_new(stand_ins):
    status, calls, _ = run_publish(stand_ins, "--fetch", "--always-build", fetch_status=3)
    assert (status, calls) == (
        0,
        ["make setup", "paper-archive fetch", "paper-archive build", "paper-archive check --site site"],
    )


def test_publish_sh_fails_when_the_fetch_fails(stand_ins):
    assert run_publish(stand_ins, "--fetch", fetch_status=1)[:2] == (1, ["make setup", "paper-archive fetch"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "publish.sh: unknown option: --bogus"),
        (["--site-url"], "publish.sh: --site-url needs a value"),
        (["--date", "2025-07-07"], "publish.sh: --date and --api-url only make sense with --fetch"),
    ],
)
def test_publish_sh_rejects_bad_options(stand_ins, args, message):
    status, calls, output = run_publish(stand_ins, *args)
    assert (status, calls) == (2, [])
    assert output.splitlines()[0] == message


def test_publish_sh_help(stand_ins):
    status, calls, output = run_publish(stand_ins, "--help")
    assert (status, calls) == (0, [])
    assert output.startswith("Usage: .github/publish.sh [--fetch")
    assert "--site-url URL" in output


# --- push-rebased.sh: two clones of a bare repository racing to push --------------------------

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "PUSH_RETRY_DELAY": "0",
}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=True
    )
    return result.stdout


def commit(clone: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        path = clone / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(path.read_text() + text if path.exists() else text)
    git(clone, "add", "--", *files)
    git(clone, "commit", "--quiet", "-m", message)


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """A bare `origin` with one commit on main: a digest and a one-line permalinks.lock."""
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    seed = clone(bare, tmp_path / "seed")
    commit(seed, {"content/digests/2025-07-01.json": "[]\n", "content/permalinks.lock": "a\n"}, "seed")
    git(seed, "push", "--quiet", "origin", "HEAD:refs/heads/main")
    return bare


def clone(bare: Path, path: Path, shallow: bool = False) -> Path:
    """A clone of ``bare``; ``shallow`` as actions/checkout makes it (one commit deep)."""
    if shallow:
        git(bare.parent, "clone", "--quiet", "--depth=1", bare.as_uri(), str(path))
    else:
        git(bare.parent, "clone", "--quiet", str(bare), str(path))
    return path


def push_rebased(clone: Path, **env: str) -> tuple[int, str]:
    result = subprocess.run(
        ["bash", str(PUSH_SH), "origin", "main"],
        cwd=clone, env={**os.environ, **GIT_ENV, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, timeout=60,
    )  # fmt: skip
    return result.returncode, result.stdout


def log(bare: Path) -> list[str]:
    return git(bare, "log", "--format=%s", "main").splitlines()


def test_push_rebased_sh_is_executable_bash():
    assert PUSH_SH.stat().st_mode & stat.S_IXUSR
    assert PUSH_SH.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in PUSH_SH.read_text(encoding="utf-8")
    assert subprocess.run(["bash", "-n", str(PUSH_SH)]).returncode == 0


def test_push_rebased_sh_pushes_straight_when_nobody_pushed_in_between(origin, tmp_path):
    run = clone(origin, tmp_path / "run", shallow=True)
    commit(run, {"content/digests/2025-07-02.json": "[]\n", "content/permalinks.lock": "b\n"}, "publish")
    status, output = push_rebased(run)
    assert (status, output) == (0, "Pushed to main on attempt 1 of 5.\n")
    assert log(origin) == ["publish", "seed"]


def test_push_rebased_sh_rebases_onto_a_push_made_while_the_run_built(origin, tmp_path):
    """The scheduled run's checkout is behind: someone pushed a digest meanwhile."""
    run, person = clone(origin, tmp_path / "run", shallow=True), clone(origin, tmp_path / "person")
    commit(run, {"content/digests/2025-07-03.json": "[]\n"}, "publish")
    commit(person, {"content/digests/2025-07-02.txt": "x\n"}, "by hand")
    git(person, "push", "--quiet", "origin", "HEAD:main")
    status, output = push_rebased(run)
    assert (status, output) == (0, "Pushed to main on attempt 1 of 5.\n")
    assert log(origin) == ["publish", "by hand", "seed"]  # rebased: linear, nothing lost


def test_push_rebased_sh_leaves_uncommitted_changes_alone(origin, tmp_path):
    """Whatever else the build touched is set aside for the rebase and put back, not pushed."""
    run, person = clone(origin, tmp_path / "run", shallow=True), clone(origin, tmp_path / "person")
    commit(run, {"content/digests/2025-07-03.json": "[]\n"}, "publish")
    (run / "content" / "digests" / "2025-07-01.json").write_text("touched\n")
    commit(person, {"content/digests/2025-07-02.txt": "x\n"}, "by hand")
    git(person, "push", "--quiet", "origin", "HEAD:main")
    status, output = push_rebased(run)
    assert status == 0, output
    assert log(origin) == ["publish", "by hand", "seed"]
    assert git(run, "status", "--porcelain") == " M content/digests/2025-07-01.json\n"


def test_push_rebased_sh_retries_when_main_moves_between_rebase_and_push(origin, tmp_path):
    """A push that lands after the rebase makes ours a non-fast-forward: fetch, rebase, push again."""
    run, person = clone(origin, tmp_path / "run", shallow=True), clone(origin, tmp_path / "person")
    commit(run, {"content/digests/2025-07-03.json": "[]\n"}, "publish")
    commit(person, {"content/digests/2025-07-02.txt": "x\n"}, "by hand")
    hook = run / ".git" / "hooks" / "pre-push"  # runs after our rebase, before our push
    hook.write_text(
        f'#!/bin/sh\n[ -e "$0.done" ] && exit 0\ntouch "$0.done"\ncd {person} && git push -q origin HEAD:main\n'
    )
    hook.chmod(0o755)
    status, output = push_rebased(run)
    assert status == 0, output
    assert "The push was rejected (attempt 1 of 5): rebasing onto main again in 0 s.\n" in output
    assert output.endswith("Pushed to main on attempt 2 of 5.\n")
    assert log(origin) == ["publish", "by hand", "seed"]


def test_push_rebased_sh_gives_up_when_main_keeps_moving(origin, tmp_path):
    run, person = clone(origin, tmp_path / "run", shallow=True), clone(origin, tmp_path / "person")
    commit(run, {"content/digests/2025-07-03.json": "[]\n"}, "publish")
    hook = run / ".git" / "hooks" / "pre-push"
    hook.write_text(
        f"#!/bin/sh\ncd {person} && echo x >> busy && git add busy && git commit -qm busy && git push -q origin HEAD:main\n"
    )
    hook.chmod(0o755)
    status, output = push_rebased(run, PUSH_ATTEMPTS="3")
    assert status == 1
    assert output.endswith(
        "push-rebased.sh: main kept moving: the push was rejected 3 times; nothing was pushed.\n"
    )
    assert "publish" not in log(origin)


def test_push_rebased_sh_stops_on_a_real_conflict_and_pushes_nothing(origin, tmp_path):
    """Both appended to the lock: not for a script to merge."""
    run, person = clone(origin, tmp_path / "run", shallow=True), clone(origin, tmp_path / "person")
    commit(run, {"content/digests/2025-07-03.json": "[]\n", "content/permalinks.lock": "b\n"}, "publish")
    commit(person, {"content/permalinks.lock": "c\n"}, "by hand")
    git(person, "push", "--quiet", "origin", "HEAD:main")
    status, output = push_rebased(run)
    assert status == 1
    assert output == (
        "push-rebased.sh: cannot rebase onto the new tip of main: both changed content/permalinks.lock.\n"
        "Nothing was pushed. The publish workflow only adds digests and appends to the lock, so\n"
        "a push in between changed them too: look at it, then run the workflow again.\n"
    )
    assert log(origin) == ["by hand", "seed"]
    assert git(run, "log", "--format=%s").splitlines() == ["publish", "seed"]  # the rebase was undone
    assert git(run, "status", "--porcelain") == ""


def test_push_rebased_sh_usage(tmp_path):
    result = subprocess.run(["bash", str(PUSH_SH), "origin"], cwd=tmp_path, capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (2, "Usage: .github/push-rebased.sh REMOTE BRANCH\n")
