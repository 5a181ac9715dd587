"""Code-list labels for lists shown to users (e.g. the rating scheme of a poor structure)."""

from roadinfra.core.schema import CODELISTS


def test_rating_scheme_labels_in_both_languages():
    schemes = CODELISTS["rating_scheme"]
    assert schemes.label("nbi", "en") == "US NBI 0-9"
    assert schemes.label("nbi", "vi") == "NBI (Mỹ) 0-9"
    assert schemes.label("vn5", "vi") == "5 cấp (Việt Nam)"


def test_unknown_code_is_shown_as_is():
    assert CODELISTS["rating_scheme"].label("aashto", "en") == "aashto"
