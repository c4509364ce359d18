"""Audit codes of the resource inventory."""

AUDIT_CODES = {
    "resources.premises.created": "{actor} a recensé le local {target}",
    "resources.premises.updated": "{actor} a modifié le local {target}",
    "resources.premises.deleted": "{actor} a retiré le local {target} du recensement",
    "resources.premises.checked": "{actor} a vérifié le local {target}",
    "resources.equipment.created": "{actor} a recensé le matériel {target}",
    "resources.equipment.updated": "{actor} a modifié le matériel {target}",
    "resources.equipment.deleted": "{actor} a retiré le matériel {target} du recensement",
    "resources.equipment.checked": "{actor} a vérifié le matériel {target}",
    "resources.stock.created": "{actor} a recensé le stock {target}",
    "resources.stock.updated": "{actor} a modifié le stock {target}",
    "resources.stock.deleted": "{actor} a retiré le stock {target} du recensement",
    "resources.stock.checked": "{actor} a vérifié le stock {target}",
    "resources.human.created": "{actor} a recensé {target} comme bénévole",
    "resources.human.updated": "{actor} a modifié la fiche bénévole de {target}",
    "resources.human.deleted": "{actor} a retiré {target} des bénévoles",
    "resources.human.checked": "{actor} a vérifié la disponibilité de {target}",
    "resources.capacity.created": "{actor} a recensé la capacité {target}",
    "resources.capacity.updated": "{actor} a modifié la capacité {target}",
    "resources.capacity.deleted": "{actor} a retiré la capacité {target} du recensement",
    "resources.capacity.checked": "{actor} a vérifié la capacité {target}",
}
