"""The BPMN peer of bench_step.py: the same human step in SpiffWorkflow 3.2, with sqlite3.

Not a project dependency: run it with a Python that has SpiffWorkflow in a venv of its own,

    python3 -m venv <venv> && <venv>/bin/pip install spiffworkflow==3.2.0
    <venv>/bin/python bench/bench_step_spiff.py

A process of three user tasks in two lanes (agency: acknowledge, report; secretariat:
verify). Each step loads the workflow's JSON from its row, deserializes it, checks the ready
task's lane against the actor, runs the task and the engine steps after it, serializes the
workflow back with a version-checked UPDATE, INSERTs the event and commits — what a BPMN
engine behind a web request does. Interleaved with the bare sqlite3 step (bench_step.py's),
median and spread of --repeat repeats, CPU and wall.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="assignment" isExecutable="true">
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="agency" name="agency">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>acknowledge</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>report</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="secretariat" name="secretariat">
        <bpmn:flowNodeRef>verify</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="acknowledge" name="acknowledge"/>
    <bpmn:userTask id="report" name="report"/>
    <bpmn:userTask id="verify" name="verify"/>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="acknowledge"/>
    <bpmn:sequenceFlow id="f2" sourceRef="acknowledge" targetRef="report"/>
    <bpmn:sequenceFlow id="f3" sourceRef="report" targetRef="verify"/>
    <bpmn:sequenceFlow id="f4" sourceRef="verify" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""
STEPS = [("acknowledge", "agency"), ("report", "agency"), ("verify", "secretariat")]
AT = "2024-06-14 02:00:00.000000"
_INSERT_EVENT = (
    "INSERT INTO event (workflow_id, at, actor, action, from_state, to_state, data) VALUES (?, ?, ?, ?, ?, ?, '{}')"
)


def spec():  # type: ignore[no-untyped-def]
    parser = BpmnParser()
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "assignment.bpmn")
    with open(path, "w") as handle:
        handle.write(BPMN)
    parser.add_bpmn_file(path)
    return parser.get_spec("assignment")


def build(path: str, rows: int, serializer: BpmnWorkflowSerializer) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.executescript(
        "CREATE TABLE workflow (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, state TEXT NOT NULL,"
        " body TEXT NOT NULL);"
        "CREATE TABLE event (id INTEGER PRIMARY KEY, workflow_id INTEGER NOT NULL REFERENCES workflow(id),"
        " at TEXT NOT NULL,"
        " actor TEXT NOT NULL, action TEXT NOT NULL, from_state TEXT, to_state TEXT, data TEXT NOT NULL);"
        "CREATE INDEX ix_event_workflow_at ON event (workflow_id, at, id);"
    )
    workflow = BpmnWorkflow(spec())
    workflow.do_engine_steps()
    body = serializer.serialize_json(workflow)
    connection.executemany(
        "INSERT INTO workflow (id, version, state, body) VALUES (?, 1, 'assigned', ?)",
        [(n, body) for n in range(1, rows + 1)],
    )
    connection.commit()
    connection.close()


def connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def spiff_steps(path: str, ids: range, serializer: BpmnWorkflowSerializer) -> int:
    connection = connect(path)
    for workflow_id in ids:
        for action, actor in STEPS:
            version, state, body = connection.execute(
                "SELECT version, state, body FROM workflow WHERE id = ?", (workflow_id,)
            ).fetchone()
            workflow = serializer.deserialize_json(body)
            ready = workflow.get_tasks(state=TaskState.READY, manual=True)
            task = next(t for t in ready if t.task_spec.name == action)
            if task.task_spec.lane != actor:
                raise PermissionError(f"{actor} may not {action}")
            task.run()
            workflow.do_engine_steps()
            after = "done" if workflow.is_completed() else action
            changed = connection.execute(
                "UPDATE workflow SET body = ?, state = ?, version = version + 1 WHERE id = ? AND version = ?",
                (serializer.serialize_json(workflow), after, workflow_id, version),
            ).rowcount
            assert changed == 1
            connection.execute(
                _INSERT_EVENT,
                (workflow_id, AT, actor, action, state, after),
            )
            connection.commit()
    connection.close()
    return len(ids) * len(STEPS)


def bare_steps(path: str, ids: range) -> int:
    connection = connect(path)
    for workflow_id in ids:
        version = 1
        for action, actor in STEPS:
            version = connection.execute(
                "UPDATE workflow SET state = ?, version = version + 1 WHERE id = ? AND version = ? RETURNING version",
                (action, workflow_id, version),
            ).fetchone()[0]
            connection.execute(
                _INSERT_EVENT,
                (workflow_id, AT, actor, action, None, action),
            )
            connection.commit()
    connection.close()
    return len(ids) * len(STEPS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=200, help="workflows per variant per repeat (3 steps each)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    serializer = BpmnWorkflowSerializer()
    path = os.path.join(tempfile.mkdtemp(), "spiff.db")
    variants = {
        "bare sqlite3": lambda ids: bare_steps(path, ids),
        "SpiffWorkflow 3.2": lambda ids: spiff_steps(path, ids, serializer),
    }
    build(path, args.steps * len(variants) * (args.repeat + 1), serializer)
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    wall: dict[str, list[float]] = {name: [] for name in variants}
    next_id = 1
    for repeat in range(args.repeat + 1):
        for name, run in variants.items():
            ids = range(next_id, next_id + args.steps)
            next_id += args.steps
            cpu0, wall0 = time.process_time(), time.perf_counter()
            count = run(ids)
            if repeat:
                cpu[name].append((time.process_time() - cpu0) / count * 1e6)
                wall[name].append((time.perf_counter() - wall0) / count * 1e6)
    one, five, fifteen = os.getloadavg()
    print(
        f"one human step, BPMN peer: median of {args.repeat} (spread), {args.steps * 3} steps each; "
        f"load average {one:.2f} {five:.2f} {fifteen:.2f}"
    )
    base_cpu, base_wall = statistics.median(cpu["bare sqlite3"]), statistics.median(wall["bare sqlite3"])
    for name in variants:
        c, w = statistics.median(cpu[name]), statistics.median(wall[name])
        print(
            f"{name:<20} CPU {c:8.1f} µs ({min(cpu[name]):.1f}–{max(cpu[name]):.1f})   "
            f"wall {w:8.1f} µs ({min(wall[name]):.1f}–{max(wall[name]):.1f})"
            f"  ×{c / base_cpu:5.1f} CPU  ×{w / base_wall:5.1f} wall"
        )


if __name__ == "__main__":
    main()
