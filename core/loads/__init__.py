"""Load control: axle-load limits, overload checks, ESAL."""
