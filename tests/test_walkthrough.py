"""The walkthrough (docs/walkthrough.md) is a transcript, and this test replays it.

Five people use the tool the way they would on a fresh install. Their steps are written
as terminal sessions, so the page can only say what the tool really does:

    <!-- session: analist -->          a fresh empty folder for the steps below
    <!-- file: mijn.toml -->           the next fenced block is written to that file
    ```console
    $ bekostiging compare mijn.toml    a command, run with bash in the session's folder
    ...                                what it printed (stdout and stderr, as a terminal
    ```                                shows them); `cd DIR` and `echo $?` are kept

The commands run on a 100-column terminal (`COLUMNS=100`). `BEKOSTIGING_UPDATE_DOCS=1`
rewrites the printed parts.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "walkthrough.md"
UPDATE = os.environ.get("BEKOSTIGING_UPDATE_DOCS") == "1"
FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```\n", re.DOTALL | re.MULTILINE)
MARK = re.compile(r"^<!-- (?P<kind>session|file): (?P<value>[^>]+?) -->\n", re.MULTILINE)


@dataclass
class Session:
    """One person's folder, the folder they are in, and how their last command ended."""

    root: Path
    cwd: Path = field(init=False)
    status: int = 0

    def __post_init__(self) -> None:
        self.cwd = self.root

    def run(self, command: str) -> str:
        if command.startswith("cd "):
            self.cwd = (self.cwd / command[3:].strip()).resolve()
            return ""
        if command == "echo $?":
            return f"{self.status}\n"
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "COLUMNS": "100",
            "LC_ALL": "C.UTF-8",
            "PYTHONHASHSEED": "0",
            "PYTHONUNBUFFERED": "1",  # stdout and stderr in the order a terminal shows them
        }
        env.pop("BEKOSTIGING_UPDATE_DOCS", None)
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=self.cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
        )
        self.status = done.returncode
        return "".join(line.rstrip() + "\n" for line in done.stdout.replace(str(self.root), ".").splitlines())


def _replay(text: str, tmp_path: Path) -> str:
    """The page with every console block's output replaced by what the commands print now."""
    out: list[str] = []
    session: Session | None = None
    target: str | None = None
    position = 0
    while position < len(text):
        mark, fence = MARK.search(text, position), FENCE.search(text, position)
        nearest = min((m for m in (mark, fence) if m), key=lambda m: m.start(), default=None)
        if nearest is None:
            out.append(text[position:])
            break
        out.append(text[position : nearest.start()])
        position = nearest.end()
        if nearest is mark:
            out.append(nearest.group(0))
            if nearest["kind"] == "session":
                folder = tmp_path / nearest["value"]
                folder.mkdir()
                session = Session(folder)
            else:
                target = nearest["value"]
            continue
        body = nearest["body"]
        if target is not None:
            assert session is not None, f"{target}: a file block before any session"
            path = session.cwd / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
            target = None
        elif nearest["info"].strip() == "console":
            assert session is not None, "a console block before any session"
            commands = [line[2:] for line in body.splitlines() if line.startswith("$ ")]
            lines = []
            for command, after in zip(commands, [*commands[1:], None], strict=True):
                lines.append(f"$ {command}\n{session.run(command)}")
                # a step that fails says so on the page: `echo $?` right after it
                assert session.status == 0 or after == "echo $?" or command == "echo $?", (
                    f"`{command}` exited {session.status}; follow it with `$ echo $?` if meant"
                )
            body = "".join(lines)
        out.append(f"```{nearest['info']}\n{body}```\n")
    return "".join(out)


def test_walkthrough_is_what_the_tool_prints(tmp_path: Path):
    text = PAGE.read_text(encoding="utf-8")
    fresh = _replay(text, tmp_path)
    if UPDATE and fresh != text:
        PAGE.write_text(fresh, encoding="utf-8")
        return
    assert fresh == text, f"{PAGE.name} is stale; run BEKOSTIGING_UPDATE_DOCS=1 pytest {__file__}"


def test_walkthrough_follows_five_people_each_in_a_folder_of_their_own():
    text = PAGE.read_text(encoding="utf-8")
    sessions = [m["value"] for m in MARK.finditer(text) if m["kind"] == "session"]
    assert len(sessions) == len(set(sessions)) >= 5


def test_replay_refuses_a_failure_the_page_does_not_own_up_to(tmp_path: Path):
    with pytest.raises(AssertionError, match="exited 1"):
        _replay("<!-- session: a -->\n```console\n$ false\n$ echo later\n```\n", tmp_path)


@pytest.mark.parametrize(
    "page, printed",
    [
        ("<!-- session: a -->\n```console\n$ echo hoi\nstale\n```\n", "$ echo hoi\nhoi\n"),
        ("<!-- session: b -->\n```console\n$ false\n$ echo $?\n```\n", "$ false\n$ echo $?\n1\n"),
        (
            "<!-- session: c -->\n<!-- file: d/x.txt -->\n```text\nx\n```\n"
            "```console\n$ cd d\n$ cat x.txt\n```\n",
            "$ cd d\n$ cat x.txt\nx\n",
        ),
    ],
)
def test_replay_runs_commands_writes_files_and_keeps_state(tmp_path: Path, page: str, printed: str):
    assert printed in _replay(page, tmp_path)
