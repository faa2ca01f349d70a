"""From figures to decisions: the inverse questions (which value of an input gives a party
the figure it needs). Pure algorithms, given a function that evaluates a point."""
