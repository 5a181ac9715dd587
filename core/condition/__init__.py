"""Condition assessment: pavement (PCI, IRI), bridges and culverts."""
