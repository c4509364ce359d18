"""Risks of the demo CPTS: a small GASPAR-like file for its communes, imported through the real
import, then the starter health risks. Idempotent: a second run changes nothing.

The entries are plausible for this coast, not a copy of the published GASPAR file.
"""

import io

from tocsin.territory.enums import RiskSource
from tocsin.territory.models import Risk
from tocsin.territory.risks import add_health_risks, import_gaspar
from tocsin.territory.selectors import territory_communes

# Sea-front and estuary communes: submersion marine (Xynthia, 2010, struck this coast).
COASTAL = {
    "44021", "44046", "44116", "44131", "44136", "44154", "44182",
    "85011", "85018", "85029", "85163", "85164", "85234",
}  # fmt: skip
CLIFFS = {"44131", "44136", "44182"}  # retreating cliffs of the Côte de Jade
INDUSTRIAL = {"44116"}  # Paimbœuf, facing the Donges refinery across the estuary
RADON = {"44087", "85047", "85204"}  # granite of the bocage


def load_risks_demo(cpts) -> None:
    if not Risk.objects.for_cpts(cpts).filter(source=RiskSource.GASPAR).exists():
        # Guarded: every import writes an audit entry, and a demo reload must add none.
        import_gaspar(None, cpts, io.BytesIO(demo_gaspar_file(cpts)))
    add_health_risks(None, cpts)


def demo_gaspar_file(cpts) -> bytes:
    lines = ["cod_commune;lib_commune;num_risque;lib_risque"]
    for commune in territory_communes(cpts):
        lines.extend(f"{commune.insee_code};{commune.name};{row}" for row in _rows(commune))
    return ("\n".join(lines) + "\n").encode()


def _rows(commune) -> list[str]:
    code = commune.insee_code
    rows = ["17;Phénomène météorologique", "172;Tempête et grains (vent)"]
    if code in COASTAL:
        rows += ["11;Inondation", "117;Par submersion marine"]
    if code in CLIFFS:
        rows += ["12;Mouvement de terrain", "126;Recul du trait de côte et de falaises"]
    if code in INDUSTRIAL:
        rows.append("21;Risque industriel")
    if code in RADON:
        rows.append("18;Radon")
    return rows
