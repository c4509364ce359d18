"""Audit codes of the watch log; {target} reads as the signal's headline or the feed's name."""

AUDIT_CODES = {
    "watch.signal.recorded": "{actor} a saisi le signal « {target} » ({level})",
    "watch.signal.received": "{actor} a reçu le signal « {target} » ({source}, {level})",
    "watch.signal.superseded": "{actor} a remplacé le signal « {target} » par « {new} »",
    "watch.signal.cancelled": "{actor} a enregistré la fin du signal « {target} » : {reason}",
    "watch.signal.notified": "{actor} a prévenu {recipients} du signal « {target} »",
    "watch.cap.imported": "{actor} a importé des alertes CAP ({summary})",
    "watch.feed.created": "{actor} a ajouté le flux surveillé « {target} »",
    "watch.feed.updated": "{actor} a modifié le flux surveillé « {target} »",
    "watch.feed.deleted": "{actor} a supprimé le flux surveillé « {target} »",
    "watch.feed.polled": "{actor} a interrogé le flux « {target} » : {summary}",
    "watch.feed.failed": "{actor} : la lecture du flux « {target} » échoue ({summary})",
    "watch.feed.recovered": "{actor} : le flux « {target} » est de nouveau lu sans erreur",
}
