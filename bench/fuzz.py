"""Long fuzz run: the property-test targets of tests/fuzz_targets.py for many examples.

    python bench/fuzz.py                 # 100,000 examples per target
    python bench/fuzz.py --examples 2000 --targets render
    python bench/fuzz.py --examples 2000 --targets pipeline   # every field, troublesome characters

Prints how many examples each target ran, how long it took, and any failure (which
Hypothesis shrinks to a minimal example). Exit status 1 if a target failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz_targets import (
    json_values,
    pipeline_inputs,
    pipeline_target,
    read_json_target,
    read_text_target,
    render_target,
    texts,
)

TARGETS = {
    "text-reader": (read_text_target, (texts,)),
    "json-reader": (read_json_target, (json_values,)),
    "render": (render_target, (texts, texts, texts)),
    "pipeline": (pipeline_target, pipeline_inputs),  # about 1 s an example
}


def run(name: str, examples: int) -> tuple[int, float, str | None]:
    target, strategies = TARGETS[name]
    count = 0

    def counted(args: tuple) -> None:
        nonlocal count
        count += 1
        target(*args)

    test = settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )(given(st.tuples(*strategies))(counted))
    started = time.perf_counter()
    try:
        test()
        failure = None
    except Exception as e:  # a falsified property: report it, go on with the others
        failure = f"{type(e).__name__}: {e}"
    return count, time.perf_counter() - started, failure


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=100_000)
    parser.add_argument("--targets", default=",".join(TARGETS))
    args = parser.parse_args()
    failed = False
    print(f"{'target':<12} {'examples':>9} {'seconds':>8} {'per example':>12}  result")
    for name in args.targets.split(","):
        count, seconds, failure = run(name, args.examples)
        failed |= failure is not None
        print(
            f"{name:<12} {count:>9,} {seconds:>8.1f} {seconds / max(count, 1) * 1000:>10.2f}ms  "
            f"{'FAILED ' + failure if failure else 'ok'}",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
