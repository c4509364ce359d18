"""Audit codes of the core app and the sentence a coordinator reads for each."""

AUDIT_CODES = {
    "core.cpts.created": "{actor} a créé la CPTS « {target} »",
    "core.cpts.updated": "{actor} a modifié la fiche de la CPTS « {target} »",
    "core.user.created": "{actor} a créé le compte de {target}",
    "core.user.logged_in": "{actor} s'est connecté",
    "core.user.logged_out": "{actor} s'est déconnecté",
    "core.user.password_changed": "{actor} a changé son mot de passe",
    "core.user.password_reset": "{actor} a réinitialisé son mot de passe",
    "core.user.two_factor_enabled": "{actor} a activé la double authentification",
    "core.user.two_factor_verified": "{actor} a validé sa double authentification",
    "core.user.recovery_codes_generated": "{actor} a généré de nouveaux codes de secours",
    "core.user.recovery_code_used": "{actor} s'est connecté avec un code de secours",
    "core.membership.created": "{actor} a donné le rôle « {role} » à {target}",
    "core.membership.role_changed": (
        "{actor} a changé le rôle de {target} : « {old_role} » → « {role} »"
    ),
    "core.membership.removed": "{actor} a retiré {target} de la CPTS",
    "core.membership.contact_linked": (
        "{actor} a relié le compte de {target} à la fiche « {contact} » de l'annuaire"
    ),
    "core.backup.created": "{actor} a réalisé une sauvegarde ({file})",
    "core.backup.restored": "{actor} a restauré la sauvegarde {file}",
}
AUDIT_CODES["core.demo.loaded"] = "{actor} a chargé la démonstration ({members} membres)"
