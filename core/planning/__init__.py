"""Maintenance planning: deterioration forecasts, treatments, budget-constrained plans.

- :mod:`.markov`: condition-state Markov chains for bridges and culverts (plain transition
  matrix and the exponential hazard model) and their estimation from inspection histories.
- :mod:`.pavement`: PCI and IRI progression by age, traffic loading and last works.
- :mod:`.calibration`: fitting the IRI model on the LTPP data, with held-back sections.
- :mod:`.treatments`: the profile's treatment decision table, checked on load.
- :mod:`.options`: the plain options table (section, year, treatment, cost, benefit).
- :mod:`.optimize`: optimal (MILP, HiGHS), incremental benefit-cost and worst-first plans.
- :mod:`.curve`: benefit versus budget, and its plot.
"""
