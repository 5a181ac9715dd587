"""A distress table of one survey, cut from the sample province (tests of both faces)."""

from pathlib import Path


def one_survey_of_the_sample(path, rename=None):
    """The distress rows of the sample's first survey, columns renamed by ``rename``."""
    import csv

    sample = Path(__file__).resolve().parents[2] / "sample_data" / "pavement_distress.csv"
    with open(sample, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    first = [r for r in rows if r["survey_id"] == rows[0]["survey_id"]]
    names = {k: (rename or {}).get(k, k) for k in rows[0]}
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([names[k] for k in rows[0]])
        writer.writerows([r[k] for k in rows[0]] for r in first)
    return path
