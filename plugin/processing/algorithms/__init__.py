"""One module per topic; every RoadInfraAlgorithm subclass here is registered automatically."""
