"""From figures to decisions (issue 18): questions asked the other way round.

`solve`: which value of one input gives a party the figure it needs (budget neutral, made
whole); `targets` reads that figure from a comparison. `frontier`: a grid over one or two
inputs, each listed party's delta at every point, the region where every one of them is
at least as well off as in the baseline (the negotiation space), and the max-min and Nash
bargaining points in it.

The modules here compute, given a function that evaluates a point; `bekostiging.api`
loads the scenario, calls them and wraps what they return in a `Result`
(`bekostiging.results`).
"""
