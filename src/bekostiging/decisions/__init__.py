"""From figures to decisions (issue 18): questions asked the other way round.

`frontier`: a grid over one or two inputs, each listed party's delta at every point, the
region where every one of them is at least as well off as in the baseline (the
negotiation space), and the max-min and Nash bargaining points in it.

The modules here compute; `bekostiging.api` loads the scenario, calls them and wraps
what they return in a `Result` (`bekostiging.results`).
"""
