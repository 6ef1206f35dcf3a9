"""The bench run: models x tasks, one worker process per model, results appended cell by cell.

A rerun with the same out dir skips every cell that already has an answer, so an interrupted run resumes
where it stopped. A model that does not load or an endpoint that does not answer leaves error rows with a
Korean reason, and the run goes on to the next model.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from config import NuriError, Settings
from config.process import child_environment
from lab.metrics import PeakRss
from lab.results import append_row, finished_cells, now, read_rows
from lab.targets import Target, parse_targets
from lab.tasks import Task, load_suite

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    """Progress goes nowhere unless a caller listens."""


def machine() -> dict[str, object]:
    """Where the numbers were taken."""
    import psutil

    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def _settings_file(settings: Settings, folder: Path) -> Path:
    """The settings a worker starts from (the API key travels in the environment, not in a file)."""
    data = settings.model_dump(mode="json", exclude={"openai_api_key"})
    path = folder / "settings.json"
    path.write_text(json.dumps({k: v for k, v in data.items() if v is not None}), encoding="utf-8")
    return path


def _worker(args: list[str], out: Path, timeout: float, progress: Progress) -> tuple[int, dict, str]:
    """Run one worker; returns (exit code, its JSON facts, its last error line), with the peak RSS added."""
    command = [sys.executable, "-m", "lab.worker", *args]
    env = child_environment(str(ROOT))
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    errors: list[str] = []
    with PeakRss(process.pid) as rss:
        try:
            assert process.stderr is not None
            for line in process.stderr:
                line = line.rstrip()
                if line.startswith("@ "):
                    progress(line[2:])
                elif line.startswith("오류:"):
                    progress(line)
                errors.append(line)
            stdout, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, _ = process.communicate()
            errors.append(f"오류: 작업 프로세스가 {timeout:.0f}초 안에 끝나지 않아 멈췄습니다.")
        except BaseException:
            process.kill()
            process.wait()
            raise
    facts: dict = {}
    for line in reversed((stdout or "").splitlines()):
        try:
            facts = json.loads(line)
            break
        except json.JSONDecodeError:
            continue
    facts["peak_rss"] = rss.peak or None
    last_error = next((e for e in reversed(errors) if e.startswith("오류:")), "")
    if not last_error and process.returncode != 0:
        detail = next((e for e in reversed(errors) if e and not e.startswith("@ ")), "")
        last_error = f"오류: 작업 프로세스가 코드 {process.returncode}로 끝났습니다 {detail[-200:]}".rstrip()
    return process.returncode, facts, last_error


def run_bench(
    models: str | list[Target],
    out: Path,
    settings: Settings,
    *,
    tasks: str = "qa,rag,summary,calc",
    limit: int | None = None,
    judge: str | None = None,
    progress: Progress = _quiet,
) -> list[dict]:
    """Run every pending cell; returns the rows of `results.jsonl` afterwards (all runs)."""
    targets = parse_targets(models) if isinstance(models, str) else models
    suite: list[Task] = load_suite(tasks, limit=limit)  # a bad task file stops here, before any model runs
    out.mkdir(parents=True, exist_ok=True)
    (out / "run.json").write_text(
        json.dumps(
            {
                "tasks": tasks,
                "limit": limit,
                "models": [t.spec for t in targets],
                "machine": machine(),
                "started": now(),
                "judge": judge,
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    with tempfile.TemporaryDirectory(prefix="nuri-lab-") as folder:
        settings_path = _settings_file(settings, Path(folder))
        for target in targets:
            done = finished_cells(read_rows(out))
            pending = [task for task in suite if (target.label, task.id) not in done]
            if not pending:
                progress(f"{target.label}: 모든 과제가 이미 끝나 있어 건너뜁니다.")
                continue
            progress(
                f"{target.label}: 과제 {len(pending)}개 실행 (끝난 것 {len(suite) - len(pending)}개 건너뜀)"
            )
            args = [
                target.spec,
                "--out",
                str(out),
                "--tasks",
                tasks,
                "--ids",
                ",".join(t.id for t in pending),
                "--settings",
                str(settings_path),
            ]
            if limit:
                args += ["--limit", str(limit)]
            timeout = 120 + len(pending) * settings.request_timeout * 2
            code, facts, last_error = _worker(args, out, timeout, progress)
            row = {"type": "model", "model": target.label, "spec": target.spec, **facts}
            if code != 0:
                row.update(status="error", error=facts.get("error") or last_error.removeprefix("오류: "))
                progress(f"{target.label}: 오류 — {row['error']}")
            append_row(out, row)
        if judge:
            progress(f"요약 판정 모델 {judge} 실행")
            code, facts, last_error = _worker(
                [judge, "--out", str(out), "--judge", "--settings", str(settings_path)], out, 1800, progress
            )
            if code != 0:
                raise NuriError(f"판정 모델을 실행하지 못했습니다: {facts.get('error') or last_error}")
    return read_rows(out)
