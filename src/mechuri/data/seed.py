"""The hand-written seed tasks: loading and checking ``seed_tasks.jsonl`` and turning it into examples.

The file uses the Self-Instruct seed format — ``id``, ``name``, ``instruction``, ``instances`` (a list
of ``{input, output}``) and ``is_classification`` — so tools written for Self-Instruct read it as is.
A task's ``name`` starts with its intent (``recommend_…``, ``nutrition_…``); the card counts by it and
the loader refuses a name that does not, so a typo cannot silently land in "other".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mechuri.data.example import INTENTS, Example

SEED_PATH = Path(__file__).parent / "seed_tasks.jsonl"


class SeedTaskError(ValueError):
    """A seed task is malformed (missing field, duplicate id, unknown intent prefix …)."""


@dataclass(frozen=True)
class Instance:
    input: str
    output: str


@dataclass(frozen=True)
class SeedTask:
    """One Self-Instruct seed task."""

    id: str
    name: str
    instruction: str
    instances: tuple[Instance, ...]
    is_classification: bool

    @property
    def intent(self) -> str:
        return self.name.split("_", 1)[0]

    def examples(self) -> list[Example]:
        """One Alpaca example per instance."""
        return [Example(instruction=self.instruction, input=instance.input, output=instance.output,
                        source="seed", intent=self.intent, id=f"{self.id}-{number}",
                        meta={"task": self.name, "is_classification": self.is_classification})
                for number, instance in enumerate(self.instances)]


def _task(row: dict, where: str) -> SeedTask:
    try:
        instances = tuple(Instance(input=str(item.get("input") or ""), output=str(item["output"]))
                          for item in row["instances"])
        task = SeedTask(id=str(row["id"]), name=str(row["name"]), instruction=str(row["instruction"]).strip(),
                        instances=instances, is_classification=bool(row.get("is_classification", False)))
    except (KeyError, TypeError) as exc:
        raise SeedTaskError(f"{where}: missing or malformed field {exc}") from exc
    if not task.instruction or not task.instances or any(not i.output.strip() for i in task.instances):
        raise SeedTaskError(f"{where}: empty instruction, no instances or an empty output")
    if task.intent not in INTENTS:
        raise SeedTaskError(f"{where}: name {task.name!r} must start with one of {', '.join(INTENTS)}")
    return task


def load_seed_tasks(path: Path = SEED_PATH) -> list[SeedTask]:
    """Every seed task, in file order; raises ``SeedTaskError`` on the first bad one."""
    tasks: list[SeedTask] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{line_number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SeedTaskError(f"{where}: {exc}") from exc
            task = _task(row, where)
            for key in (task.id, task.name):
                if key in seen:
                    raise SeedTaskError(f"{where}: duplicate id or name {key!r}")
                seen.add(key)
            tasks.append(task)
    return tasks


def seed_examples(tasks: list[SeedTask] | None = None) -> list[Example]:
    """All instances of all seed tasks as examples (source ``seed``)."""
    return [example for task in (tasks if tasks is not None else load_seed_tasks()) for example in task.examples()]
