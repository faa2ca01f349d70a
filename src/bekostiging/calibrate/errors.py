"""The one exception of calibration: bad claims or mapping input, every problem at once."""

from __future__ import annotations

from bekostiging.findings import ScenarioError


class CalibrationError(ScenarioError):
    """Bad claims or mapping input. `problems` are the messages, one per problem.

    A `ScenarioError`, so code that reports invalid scenarios reports these the same way
    (`error: <file>: <where>: <message>`, exit 1).
    """

    @property
    def problems(self) -> list[str]:
        return [str(f).removeprefix("error: ") for f in self.findings]
