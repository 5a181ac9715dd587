"""RoadInfra's Processing provider and the base class of its algorithms."""
