"""The cadastre in QGIS: the glue the Processing algorithms and the *Cadastre* dialog share
(:mod:`.inputs`), the background tasks (:mod:`.tasks`) and the dialog (:mod:`.dialog`)."""
