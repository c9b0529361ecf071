"""kubelint's benchmarks: every result is a ratio against a baseline measured in the same run.

Usage (from the repository root)::

    /tmp/venv/bin/python benchmarks/run.py            # everything, full corpus (~15 min on 2 cores)
    /tmp/venv/bin/python benchmarks/run.py --quick    # a tenth of the corpus, fewer repeats (~2 min)
    /tmp/venv/bin/python benchmarks/run.py --only a,c --markdown

Sections (targets from the "Fast and unbreakable" issue):

a. lint the 2,000 kubelet configs in one process vs only ``yaml.compose(..., CSafeLoader)`` them (<= 2.0x)
b. yamllint -d relaxed on the same files (a subprocess) vs kubelint in-process and as one CLI process (>= 10x)
c. cold start: ``kubelint check one.yaml`` vs ``yamllint one.yaml``, median of >= 15 new processes
   (no slower, < 200 ms)
d. a 20,000-file scan with --jobs 1 vs --jobs 2 (>= 1.7x), and peak RSS at 5,000 vs 20,000 files (flat)
e. ``--fix`` on files with nothing to fix: no ruamel import, and its cost next to a plain check

Timings on a shared machine are noisy: each measurement alternates the
contenders, repeats, and reports medians; a ratio is taken per repetition
and its median reported. Child processes run kubelint installed from the
checkout (``pip install --target``, as ``pip install .`` and pre-commit do),
with bytecode caching on (in a temporary ``PYTHONPYCACHEPREFIX``), as an
installed package would, even
when the calling environment sets ``PYTHONDONTWRITEBYTECODE``; the
``kubelint`` launcher is what ``pip install`` writes as a console script.

Needs yamllint for b and c (``benchmarks/requirements.txt``); they are
skipped, and say so, without it.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import corpus as corpus_module  # noqa: E402


@dataclass
class Result:
    section: str
    name: str
    value: str
    target: str = ""
    met: bool | None = None
    detail: str = ""


@dataclass
class Bench:
    work: Path
    corpus: corpus_module.Corpus
    quick: bool
    env: dict[str, str]
    launcher: Path
    yamllint: str | None
    results: list[Result] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)

    def add(self, *args: object, **kwargs: object) -> None:
        result = Result(*args, **kwargs)  # type: ignore[arg-type]
        self.results.append(result)
        mark = "" if result.met is None else ("  [target met]" if result.met else "  [target NOT met]")
        print(f"  {result.section}. {result.name}: {result.value}"
              + (f" (target {result.target})" if result.target else "") + mark, flush=True)
        if result.detail:
            print(textwrap.indent(result.detail, "       "), flush=True)


# --------------------------------------------------------------------------- helpers


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Run:
    wall: float
    cpu: float
    peak_rss_kb: int  # largest single process of the tree (ru_maxrss)
    peak_tree_kb: int  # largest sum over the tree, sampled every 20 ms
    status: int


def run_process(command: Sequence[str], env: dict[str, str], *, cwd: Path = REPO,
                sample_memory: bool = False) -> Run:
    """Run ``command`` to completion; wall time, CPU and memory of its whole process tree.

    Each run goes through a small Python wrapper so that ``ru_maxrss`` of
    RUSAGE_CHILDREN covers this run alone."""
    wrapper = textwrap.dedent("""
        import json, os, resource, subprocess, sys, threading, time
        command = json.loads(sys.argv[1])
        peak = [0]
        def rss_kb(pid):
            try:
                with open(f"/proc/{pid}/status") as handle:
                    for line in handle:
                        if line.startswith("VmRSS:"):
                            return int(line.split()[1])
            except OSError:
                pass
            return 0
        def children(pid):
            found = []
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as handle:
                        found.extend(int(x) for x in handle.read().split())
            except OSError:
                pass
            return found
        def sample(pid, done):
            while not done.is_set():
                tree, todo = 0, [pid]
                while todo:
                    current = todo.pop()
                    tree += rss_kb(current)
                    todo.extend(children(current))
                peak[0] = max(peak[0], tree)
                done.wait(0.02)
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        done = threading.Event()
        sampler = None
        if sys.argv[2] == "1":
            sampler = threading.Thread(target=sample, args=(process.pid, done), daemon=True)
            sampler.start()
        status = process.wait()
        wall = time.perf_counter() - start
        done.set()
        if sampler:
            sampler.join()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss": usage.ru_maxrss,
                          "tree": peak[0], "status": status}))
    """)
    done = subprocess.run([sys.executable, "-c", wrapper, json.dumps(list(command)), "1" if sample_memory else "0"],
                          capture_output=True, text=True, env=env, cwd=cwd, check=True)
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return Run(data["wall"], data["cpu"], data["maxrss"], data["tree"], data["status"])


def kubelint(bench: Bench, *args: str) -> list[str]:
    return [str(bench.launcher), *args]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = ", load average {:.1f} {:.1f} {:.1f} at start".format(*os.getloadavg()) if hasattr(os, "getloadavg") else ""
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs{memory}{load}; "
            f"Python {platform.python_version()}")


def _snapshot_state() -> str:
    """Stale snapshots make kubelint take its slow paths (see kubelint/snapshots.py)."""
    try:
        from kubelint import snapshots

        stale = snapshots.stale()
    except Exception as error:  # a broken tree still gets its numbers, with a note
        return f"snapshots not checked ({type(error).__name__})"
    return "snapshots current" if not stale else f"STALE snapshots {stale} (slow paths measured)"


def _versions() -> str:
    import yaml

    parts = [f"PyYAML {yaml.__version__} (libyaml {'yes' if hasattr(yaml, 'CSafeLoader') else 'no'})"]
    try:
        from importlib.metadata import version

        parts.append(f"yamllint {version('yamllint')}")
    except Exception:
        pass
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=False).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=False).stdout.strip()
        parts.append(f"kubelint at {commit}{' (+ uncommitted changes)' if dirty else ''}")
    except OSError:
        pass
    parts.append(_snapshot_state())
    return ", ".join(parts)


# --------------------------------------------------------------------------- a. in-process vs compose


def section_a(bench: Bench, repeats: int) -> float | None:
    """Lint the kubelet configs in-process; compose the same files as the floor."""
    import yaml

    from kubelint import knowledge
    from kubelint.analysis import Options, lint_paths

    files = bench.corpus.configs
    options = Options(version=knowledge.default_target_version())
    lint_paths(files[:20], options)  # imports, rule modules and data tables: not what (a) measures

    def compose_all() -> None:
        for path in files:
            yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    def lint_all() -> None:
        lint_paths(files, options)

    # one pass takes ~2 s: more pairs than the other sections take, since the
    # other core's load moves a single pair's ratio by a third
    pairs = 2 * repeats + 1
    compose_times, lint_times, ratios, cpu_ratios = [], [], [], []
    for _ in range(pairs):
        gc.collect()
        started, cpu_started = time.perf_counter(), time.process_time()
        compose_all()
        compose_time, compose_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        gc.collect()
        started, cpu_started = time.perf_counter(), time.process_time()
        lint_all()
        lint_time, lint_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        compose_times.append(compose_time)
        lint_times.append(lint_time)
        ratios.append(lint_time / compose_time)
        cpu_ratios.append(lint_cpu / compose_cpu)
    ratio = _median(ratios)
    count = len(files)
    bench.add("a", f"lint {count} kubelet configs in-process vs yaml.compose (CSafeLoader)",
              f"{ratio:.2f}x", "<= 2.0x", ratio <= 2.0,
              f"median of {pairs}: lint {_median(lint_times):.2f} s ({1000 * _median(lint_times) / count:.2f} ms/file), "
              f"compose {_median(compose_times):.2f} s ({1000 * _median(compose_times) / count:.2f} ms/file); "
              f"ratio of CPU times {_median(cpu_ratios):.2f}x, pairs ranged {min(ratios):.2f}x-{max(ratios):.2f}x")
    bench.commands.append("a: kubelint.analysis.lint_paths(configs) vs [yaml.compose(text, Loader=yaml.CSafeLoader) "
                          "for each config] in one process")
    return _median(lint_times)


# --------------------------------------------------------------------------- b. vs yamllint


def section_b(bench: Bench, repeats: int, in_process: float | None) -> None:
    directory = bench.corpus.configs[0].parent
    count = len(bench.corpus.configs)
    if bench.yamllint is None:
        bench.add("b", "yamllint comparison", "skipped: yamllint is not installed (pip install -r benchmarks/requirements.txt)")
        return
    yamllint_cmd = [bench.yamllint, "-d", "relaxed", "-f", "parsable", str(directory)]
    cli_cmd = kubelint(bench, "check", "-q", "--jobs", "1", str(directory))
    yamllint_runs, cli_runs = [], []
    for _ in range(repeats):
        yamllint_runs.append(run_process(yamllint_cmd, bench.env))
        cli_runs.append(run_process(cli_cmd, bench.env))
    yamllint_time = _median([run.wall for run in yamllint_runs])
    cli_time = _median([run.wall for run in cli_runs])
    cli_ratio = _median([y.wall / k.wall for y, k in zip(yamllint_runs, cli_runs, strict=True)])
    bench.add("b", f"yamllint -d relaxed / kubelint check --jobs 1 (one CLI process), {count} configs",
              f"{cli_ratio:.1f}x faster", ">= 10x", cli_ratio >= 10,
              f"median of {repeats}: yamllint {yamllint_time:.2f} s, kubelint CLI {cli_time:.2f} s "
              f"(CPU {_median([r.cpu for r in yamllint_runs]):.2f} s vs {_median([r.cpu for r in cli_runs]):.2f} s)")
    if in_process is not None:
        ratio = yamllint_time / in_process
        bench.add("b", "yamllint -d relaxed / kubelint in-process (section a's lint time)", f"{ratio:.1f}x faster",
                  ">= 10x", ratio >= 10)
    bench.commands.append("b: " + " ".join(yamllint_cmd) + "   vs   kubelint check -q --jobs 1 DIR")


# --------------------------------------------------------------------------- c. cold start


def section_c(bench: Bench, runs: int) -> None:
    target = bench.corpus.configs[1]
    commands: dict[str, list[str]] = {"kubelint": kubelint(bench, "check", str(target))}
    if bench.yamllint is not None:
        commands["yamllint"] = [bench.yamllint, str(target)]
    for command in commands.values():  # warm the page cache and the bytecode caches
        run_process(command, bench.env)
    measured: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            measured[name].append(run_process(command, bench.env))
    kube_wall = _median([run.wall for run in measured["kubelint"]])
    kube_cpu = _median([run.cpu for run in measured["kubelint"]])
    detail = f"median of {runs} new processes; kubelint CPU {1000 * kube_cpu:.0f} ms"
    bench.add("c", "cold start: kubelint check one-config.yaml", f"{1000 * kube_wall:.0f} ms", "< 200 ms",
              kube_wall < 0.2, detail)
    if "yamllint" in measured:
        yl_wall = _median([run.wall for run in measured["yamllint"]])
        yl_cpu = _median([run.cpu for run in measured["yamllint"]])
        ratio = _median([k.wall / y.wall for k, y in zip(measured["kubelint"], measured["yamllint"], strict=True)])
        cpu_ratio = _median([k.cpu / y.cpu for k, y in zip(measured["kubelint"], measured["yamllint"], strict=True)])
        bench.add("c", "cold start: kubelint / yamllint one-config.yaml", f"{ratio:.2f}x", "<= 1.0x", ratio <= 1.0,
                  f"yamllint {1000 * yl_wall:.0f} ms wall, {1000 * yl_cpu:.0f} ms CPU; CPU ratio {cpu_ratio:.2f}x")
    bench.commands.append(f"c: kubelint check {target.name}   vs   yamllint {target.name}")


# --------------------------------------------------------------------------- d. jobs and memory


def _scan_tree(bench: Bench, name: str, files: int) -> tuple[Path, int]:
    """``files`` (about) files made of hard-linked copies of the corpus."""
    root = bench.work / name
    if root.exists():
        return root, sum(1 for path in root.rglob("*") if path.is_file())
    sources = sorted(path for path in bench.corpus.root.rglob("*") if path.is_file())
    made = 0
    copy = 0
    while made < files:
        for source in sources:
            if made >= files:
                break
            target = root / f"copy-{copy:02d}" / source.relative_to(bench.corpus.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
            made += 1
        copy += 1
    return root, made


_SPIN = "s = 0\nfor i in range(12_000_000):\n    s += i * i\n"


def cpu_parallel_baseline(env: dict[str, str]) -> float:
    """What two processes gain over one on this machine right now: two pure-Python
    CPU loops run side by side vs one after the other (the ceiling for --jobs 2)."""
    command = [sys.executable, "-c", _SPIN]
    started = time.perf_counter()
    for _ in range(2):
        subprocess.run(command, env=env, check=True)
    sequential = time.perf_counter() - started
    started = time.perf_counter()
    processes = [subprocess.Popen(command, env=env) for _ in range(2)]
    for process in processes:
        process.wait()
    return sequential / (time.perf_counter() - started)


def _clean_tree(bench: Bench, files: int) -> Path:
    """``files`` hard links of one clean kubelet config, 1,000 to a directory."""
    root = bench.work / f"clean-{files}"
    if root.exists():
        return root
    source = bench.work / "clean-source.yaml"
    source.write_text((REPO / "examples" / "files" / "kubelet-config-clean.yaml").read_text(encoding="utf-8"),
                      encoding="utf-8")
    for index in range(files):
        target = root / f"d{index // 1000:03d}" / f"config-{index:05d}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    return root


def section_d(bench: Bench, repeats: int) -> None:
    big_count = 2_000 if bench.quick else 20_000
    small_count = big_count // 4
    big, big_files = _scan_tree(bench, f"scan-{big_count}", big_count)
    small, small_files = _scan_tree(bench, f"scan-{small_count}", small_count)
    one, two, ceilings = [], [], []
    for _ in range(repeats):
        ceilings.append(cpu_parallel_baseline(bench.env))
        one.append(run_process(kubelint(bench, "check", "--jobs", "1", str(big)), bench.env, sample_memory=True))
        two.append(run_process(kubelint(bench, "check", "--jobs", "2", str(big)), bench.env, sample_memory=True))
    speedup = _median([a.wall / b.wall for a, b in zip(one, two, strict=True)])
    ceiling = _median(ceilings)
    bench.add("d", f"--jobs 2 speed-up on a {big_files:,}-file scan", f"{speedup:.2f}x", ">= 1.7x", speedup >= 1.7,
              f"median of {repeats}: --jobs 1 {_median([r.wall for r in one]):.1f} s, "
              f"--jobs 2 {_median([r.wall for r in two]):.1f} s; load average now "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    bench.add("d", "ceiling: two pure-Python CPU loops side by side vs in turn, same run", f"{ceiling:.2f}x", "",
              None, f"kubelint reaches {speedup / ceiling:.0%} of what this machine gives two processes")
    small_run = run_process(kubelint(bench, "check", "--jobs", "2", str(small)), bench.env, sample_memory=True)
    small_one = run_process(kubelint(bench, "check", "--jobs", "1", str(small)), bench.env, sample_memory=True)
    big_tree = _median([max(r.peak_tree_kb, r.peak_rss_kb) for r in two])
    big_single = _median([r.peak_rss_kb for r in one])
    growth_tree = big_tree / max(small_run.peak_tree_kb, small_run.peak_rss_kb, 1)
    growth_single = big_single / max(small_one.peak_rss_kb, 1)
    bench.add("d", f"peak RSS of the corpus copies, {big_files:,} vs {small_files:,} files, --jobs 2 (parent + "
              "workers)", f"{big_tree / 1024:.0f} MiB vs {small_run.peak_tree_kb / 1024:.0f} MiB ({growth_tree:.2f}x)",
              "", None)
    bench.add("d", f"peak RSS of the corpus copies, {big_files:,} vs {small_files:,} files, --jobs 1",
              f"{big_single / 1024:.0f} MiB vs {small_one.peak_rss_kb / 1024:.0f} MiB ({growth_single:.2f}x)", "",
              None, "these copies carry ~0.8 findings per file: the sorted report keeps every finding (and the "
              "text of its file, for code frames), so memory follows the findings")
    clean_big = _clean_tree(bench, big_count)
    clean_small = _clean_tree(bench, small_count)
    for jobs in ("1", "2"):
        runs = [run_process(kubelint(bench, "check", "--jobs", jobs, str(tree)), bench.env, sample_memory=True)
                for tree in (clean_small, clean_big)]
        small_peak, big_peak = (max(run.peak_tree_kb, run.peak_rss_kb) for run in runs)
        growth = big_peak / max(small_peak, 1)
        bench.add("d", f"peak RSS of clean files, {big_count:,} vs {small_count:,} files, --jobs {jobs}",
                  f"{big_peak / 1024:.0f} MiB vs {small_peak / 1024:.0f} MiB ({growth:.2f}x)",
                  "flat (~1.0x)", growth <= 1.15)
    bench.commands.append(f"d: kubelint check --jobs 1|2 DIR  ({big_files:,} and {small_files:,} hard-linked copies "
                          "of the corpus; RSS from ru_maxrss and /proc sampling)")


# --------------------------------------------------------------------------- e. --fix with nothing to fix


def section_e(bench: Bench, repeats: int) -> None:
    clean = bench.work / "clean-fix"
    shutil.rmtree(clean, ignore_errors=True)
    clean.mkdir()
    source = (REPO / "examples" / "files" / "kubelet-config-clean.yaml").read_text(encoding="utf-8")
    for index in range(50 if bench.quick else 200):
        (clean / f"config-{index:03d}.yaml").write_text(source, encoding="utf-8")
    probe = textwrap.dedent("""
        import json, sys
        from kubelint.cli import main
        try:
            main(sys.argv[1:], standalone_mode=False)
        except SystemExit:
            pass
        print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("ruamel", "pydantic"))))
    """)
    done = subprocess.run([sys.executable, "-c", probe, "check", "-q", "--fix", str(clean)], capture_output=True,
                          text=True, env=bench.env, cwd=bench.work, check=False)
    try:
        loaded = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        loaded = [f"probe failed: {done.stderr.strip()[-300:]}"]
    ruamel = [name for name in loaded if name.startswith("ruamel") or name.startswith("probe failed")]
    bench.add("e", "--fix on files with nothing to fix imports ruamel", "no" if not ruamel else f"yes: {ruamel[:3]}",
              "no", not ruamel)
    fix, plain = [], []
    for _ in range(repeats):
        fix.append(run_process(kubelint(bench, "check", "-q", "--fix", "--jobs", "1", str(clean)), bench.env))
        plain.append(run_process(kubelint(bench, "check", "-q", "--jobs", "1", str(clean)), bench.env))
    ratio = _median([f.wall / p.wall for f, p in zip(fix, plain, strict=True)])
    bench.add("e", "--fix / plain check on the same clean files", f"{ratio:.2f}x", "~1.0x", ratio <= 1.15)
    bench.commands.append("e: kubelint check -q --fix DIR (sys.modules probed in-process)   vs   kubelint check -q DIR")


# --------------------------------------------------------------------------- main


def write_launcher(directory: Path) -> Path:
    """The console script ``pip install`` would write, for the entry point pyproject.toml names."""
    import tomllib

    entry = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["kubelint"]
    module, function = entry.split(":")
    launcher = directory / "bin" / "kubelint"
    launcher.parent.mkdir(parents=True, exist_ok=True)
    launcher.write_text(f"#!{sys.executable}\nimport sys\nfrom {module} import {function}\nsys.exit({function}())\n",
                        encoding="utf-8")
    launcher.chmod(0o755)
    return launcher


def install_copy(work: Path) -> Path:
    """kubelint installed from this checkout as ``pip install .`` (and
    pre-commit) would: a copy in site-packages layout, not the source tree
    (a source checkout verifies its generated snapshots at every start, an
    installed package trusts the ones it ships). Dependencies come from this
    environment."""
    target = work / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
                    "--target", str(target), str(REPO)], check=True, capture_output=True, text=True)
    return target


def child_env(work: Path, installed: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(installed), env.get("PYTHONPATH", "")]))
    for name in ("CI", "GITHUB_ACTIONS", "NO_COLOR"):
        env.pop(name, None)
    return env


def find_yamllint() -> str | None:
    beside = Path(sys.executable).parent / "yamllint"
    if beside.exists():
        return str(beside)
    return shutil.which("yamllint")


def markdown(bench: Bench, started: datetime.datetime, elapsed: float, argv: list[str]) -> str:
    lines = [
        f"### {started:%Y-%m-%d %H:%M} UTC — `python benchmarks/run.py {' '.join(argv)}`".rstrip(),
        "",
        f"- machine: {machine()}",
        f"- software: {_versions()}",
        f"- corpus: {len(bench.corpus.configs)} kubelet configs, {len(bench.corpus.dropins)} drop-ins, "
        f"{len(bench.corpus.env_files)} env files, {len(bench.corpus.kubeconfigs)} kubeconfigs, "
        f"{len(bench.corpus.configz)} /configz dumps, {len(bench.corpus.node_trees)} node trees (seed "
        f"{corpus_module.SEED}); run took {elapsed / 60:.1f} min",
        "",
        "| | measurement | result | target | met |",
        "|---|---|---|---|---|",
    ]
    for result in bench.results:
        met = "" if result.met is None else ("yes" if result.met else "**no**")
        lines.append(f"| {result.section} | {result.name} | {result.value} | {result.target} | {met} |")
    details = [f"- {r.section}: {r.detail}" for r in bench.results if r.detail]
    if details:
        lines += ["", *details]
    lines += ["", "Commands:", "", *(f"- `{command}`" for command in bench.commands), ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the corpus and fewer repeats")
    parser.add_argument("--only", default="a,b,c,d,e", help="comma-separated sections (default: all)")
    parser.add_argument("--runs", type=int, default=None, help="cold-start processes per tool (default 15, quick 15)")
    parser.add_argument("--repeats", type=int, default=None, help="repeats of the throughput measurements")
    parser.add_argument("--keep", type=Path, default=None, help="generate into (and keep) this directory")
    parser.add_argument("--markdown", action="store_true", help="also print a RESULTS.md section")
    parser.add_argument("--append-results", type=Path, default=None,
                        help="append the markdown section to this file (e.g. benchmarks/RESULTS.md)")
    args = parser.parse_args(argv)
    sections = {part.strip() for part in args.only.split(",") if part.strip()}
    repeats = args.repeats or (2 if args.quick else 3)
    runs = max(args.runs or 15, 15)
    started = datetime.datetime.now(datetime.UTC)
    clock = time.perf_counter()
    work = args.keep or Path(tempfile.mkdtemp(prefix="kubelint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        counts = corpus_module.Counts().scaled(0.1) if args.quick else corpus_module.Counts()
        print(f"generating the corpus in {work} ...", flush=True)
        corpus_root = work / "corpus"
        if corpus_root.exists():
            shutil.rmtree(corpus_root)
        generated = corpus_module.generate(corpus_root, counts)
        print("installing kubelint from this checkout ...", flush=True)
        bench = Bench(work, generated, args.quick, child_env(work, install_copy(work)), write_launcher(work),
                      find_yamllint())
        print(f"machine: {machine()}", flush=True)
        in_process = section_a(bench, repeats) if "a" in sections else None
        if "b" in sections:
            section_b(bench, repeats, in_process)
        if "c" in sections:
            section_c(bench, runs)
        if "d" in sections:
            section_d(bench, repeats)
        if "e" in sections:
            section_e(bench, repeats)
        text = markdown(bench, started, time.perf_counter() - clock, argv)
        if args.markdown:
            print("\n" + text)
        if args.append_results:
            with args.append_results.open("a", encoding="utf-8") as handle:
                handle.write("\n" + text)
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
