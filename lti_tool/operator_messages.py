"""The words of the pages an administrator sees: the tool's administration, the per-LMS
install guides and LTI Dynamic Registration, French then English.

Part of the interface catalogue (`lti_tool.messages.translate`). Keys read by `_html()` in
templates hold trusted markup (`<em>`, `<code>`…); the values put into them are escaped.
"""

from __future__ import annotations

ADMIN_MESSAGES: dict[str, tuple[str, str]] = {
    # Navigation and sign-in.
    "admin_nav_health": ("État", "Health"),
    "admin_nav_platforms": ("Plateformes", "Platforms"),
    "admin_nav_keys": ("Clés", "Keys"),
    "admin_nav_grades": ("Notes à envoyer", "Grade outbox"),
    "admin_nav_guides": ("Guides d'installation", "Installation guides"),
    "admin_sign_out": ("Se déconnecter", "Sign out"),
    "admin_sign_in": ("Se connecter", "Sign in"),
    "admin_title": ("Administration de l'outil", "Tool administration"),
    "admin_login_title": ("Administration : connexion", "Administration: sign in"),
    "admin_username": ("Nom d'utilisateur", "User name"),
    "admin_password": ("Mot de passe", "Password"),
    "admin_account_html": (
        "Un compte se crée sur le serveur avec <code>ambassadeurs admin create NOM</code>.",
        "An account is created on the server with <code>ambassadeurs admin create NAME</code>.",
    ),
    "admin_login_expired": (
        "Formulaire expiré : recommencez (les cookies doivent être acceptés).",
        "Form expired: try again (cookies must be accepted).",
    ),
    "admin_login_throttled": (
        "Trop d'essais manqués : attendez 15 minutes avant de réessayer.",
        "Too many failed attempts: wait 15 minutes before trying again.",
    ),
    "admin_login_failed": (
        "Nom d'utilisateur ou mot de passe incorrect.",
        "Wrong user name or password.",
    ),
    "admin_session_ended": ("Session terminée", "Session ended"),
    "admin_session_ended_text": (
        "Votre session a expiré : reconnectez-vous.",
        "Your session has expired: sign in again.",
    ),
    "admin_form_refused": ("Formulaire refusé", "Form refused"),
    "admin_form_refused_text": (
        "Ce formulaire a expiré ou ne vient pas de ces pages : rechargez la page.",
        "This form has expired or did not come from these pages: reload the page.",
    ),
    # Confirmations after an action.
    "admin_done_added": ("Plateforme enregistrée.", "Platform registered."),
    "admin_done_approved": ("Approuvé.", "Approved."),
    "admin_done_disabled": ("Désactivé.", "Disabled."),
    "admin_done_pending": ("Remis en attente.", "Put back to pending."),
    "admin_done_removed": ("Supprimé.", "Removed."),
    "admin_done_policy": ("Politique des déploiements changée.", "Deployment policy changed."),
    "admin_done_deployment_added": ("Déploiement ajouté.", "Deployment added."),
    "admin_done_rotated": ("Nouvelle clé de signature créée.", "New signing key created."),
    "admin_done_retried": ("Notes en échec remises en file.", "Failed grades queued again."),
    # Health.
    "admin_health_title": ("Administration : état", "Administration: health"),
    "admin_health_heading": ("État de l'outil", "Tool health"),
    "admin_summary": ("Résumé", "Summary"),
    "admin_database": ("Base de données", "Database"),
    "admin_unreachable": ("injoignable", "unreachable"),
    "admin_public_address": ("Adresse publique", "Public address"),
    "admin_not_https": (
        "pas https : un LMS en production le refusera",
        "not https: a production LMS will refuse it",
    ),
    "admin_platforms": ("Plateformes", "Platforms"),
    "admin_platform_counts": (
        "{approved} approuvée(s), {pending} en attente, {disabled} désactivée(s)",
        "{approved} approved, {pending} pending, {disabled} disabled",
    ),
    "admin_pending_deployments": ("Déploiements en attente", "Pending deployments"),
    "admin_new_registrations": ("Nouvelles inscriptions", "New registrations"),
    "admin_approved_at_once": ("approuvées d'office", "approved at once"),
    "admin_to_be_approved": ("à approuver", "to be approved"),
    "admin_default_policy": (
        "Politique des déploiements (défaut)",
        "Deployment policy (default)",
    ),
    "admin_signing_key": ("Clé de signature", "Signing key"),
    "admin_signing_key_age": (
        "{days} jour(s) ; {published} clé(s) publiée(s)",
        "{days} day(s); {published} key(s) published",
    ),
    "admin_none_feminine": ("aucune", "none"),
    "admin_grade_outbox": ("Notes à envoyer", "Grade outbox"),
    "admin_not_available_yet": ("pas encore disponible", "not available yet"),
    "admin_count": ("{state} : {count}", "{state}: {count}"),
    "admin_register_lms": ("Inscrire un LMS", "Registering an LMS"),
    "admin_register_address": (
        "Adresse d'inscription dynamique à coller dans le LMS :",
        "Dynamic registration address to paste into the LMS:",
    ),
    # Platforms and deployments.
    "admin_platforms_title": ("Administration : plateformes", "Administration: platforms"),
    "admin_platforms_heading": ("Plateformes et déploiements", "Platforms and deployments"),
    "admin_add_by_hand": ("Ajouter une plateforme à la main", "Add a platform by hand"),
    "admin_source": ("Origine", "Source"),
    "admin_approve": ("Approuver", "Approve"),
    "admin_disable": ("Désactiver", "Disable"),
    "admin_remove": ("Supprimer", "Remove"),
    "admin_policy_auto": (
        "auto : enregistré au lancement",
        "auto: recorded at launch",
    ),
    "admin_policy_approve": ("approve : à approuver", "approve: to approve"),
    "admin_policy_approve_here": ("approve : à approuver ici", "approve: to approve here"),
    "admin_change": ("Changer", "Change"),
    "admin_deployments_of": ("Déploiements de #{id}", "Deployments of #{id}"),
    "admin_status": ("État", "Status"),
    "admin_actions": ("Actions", "Actions"),
    "admin_no_deployment": (
        "Aucun : le premier lancement l'enregistrera selon la politique.",
        "None: the first launch records it as the policy says.",
    ),
    "admin_add_deployment": (
        "Ajouter un Deployment ID à #{id}",
        "Add a Deployment ID to #{id}",
    ),
    "admin_add": ("Ajouter", "Add"),
    "admin_no_platform": (
        "Aucune plateforme. Collez l'adresse d'inscription dynamique dans le LMS, ou "
        "ajoutez-en une à la main.",
        "No platform. Paste the dynamic registration address into the LMS, or add one by hand.",
    ),
    # Adding a platform.
    "admin_new_title": (
        "Administration : ajouter une plateforme",
        "Administration: add a platform",
    ),
    "admin_new_heading": ("Ajouter une plateforme", "Add a platform"),
    "admin_new_intro_html": (
        "Les valeurs viennent de la page de configuration de l'outil dans le LMS (voir les "
        '<a href="{guides}">guides par LMS</a>).',
        "The values come from the tool's configuration page in the LMS (see the "
        '<a href="{guides}">guides per LMS</a>).',
    ),
    "admin_field_name": ("Nom affiché", "Display name"),
    "admin_field_issuer": ("Issuer (Moodle : wwwroot)", "Issuer (Moodle: wwwroot)"),
    "admin_field_client_id": ("Client ID", "Client ID"),
    "admin_field_auth_login_url": (
        "URL d'authentification OIDC",
        "OIDC auth login URL",
    ),
    "admin_field_auth_token_url": ("URL du jeton d'accès", "Access token URL"),
    "admin_field_key_set_url": ("URL du jeu de clés (JWKS)", "Key set (JWKS) URL"),
    "admin_field_auth_audience": (
        "Audience du jeton (Brightspace)",
        "Token audience (Brightspace)",
    ),
    "admin_field_deployment_ids": (
        "Deployment ID(s), séparés par des espaces",
        "Deployment ID(s), space-separated",
    ),
    "admin_field_deployment_policy": ("Deployment ID encore inconnu", "Unseen deployment ID"),
    "admin_required": ("(obligatoire)", "(required)"),
    "admin_save": ("Enregistrer", "Save"),
    # Why a platform cannot be added (lti_tool.platforms.PlatformError codes).
    "platform_error_required": (
        "issuer et client_id sont obligatoires.",
        "issuer and client_id are required.",
    ),
    "platform_error_url": (
        "{field} : URL http(s) attendue.",
        "{field}: expected an http(s) URL.",
    ),
    "platform_error_status": ("Statut inconnu : {value}.", "Unknown status: {value}."),
    "platform_error_policy": ("Politique inconnue : {value}.", "Unknown policy: {value}."),
    # Removing a platform.
    "admin_remove_title": (
        "Administration : supprimer une plateforme",
        "Administration: remove a platform",
    ),
    "admin_remove_heading": ("Supprimer #{id} {name} ?", "Remove #{id} {name}?"),
    "admin_remove_warning": (
        "Ses déploiements, lancements et travaux d'apprenants liés seront supprimés ; ses "
        "activités dans le LMS cesseront de fonctionner.",
        "Its deployments, launches and the learners' work tied to it will be deleted; its "
        "activities in the LMS will stop working.",
    ),
    "admin_remove_for_good": ("Supprimer définitivement", "Remove for good"),
    "admin_cancel": ("Annuler", "Cancel"),
    # Keys.
    "admin_keys_title": ("Administration : clés", "Administration: keys"),
    "admin_keys_heading": ("Clés de signature", "Signing keys"),
    "admin_keys_intro_html": (
        'Les LMS lisent les clés publiques sur <code class="url">{url}</code>. Après une '
        "rotation, l'ancienne clé reste publiée {days} jour(s).",
        'LMSs read the public keys at <code class="url">{url}</code>. After a rotation, '
        "the previous key stays published {days} day(s).",
    ),
    "admin_keys_caption": ("Clés, la plus récente d'abord", "Keys, newest first"),
    "admin_created_utc": ("Créée (UTC)", "Created (UTC)"),
    "admin_key_signing": ("signe", "signing"),
    "admin_key_published": ("publiée", "published"),
    "admin_key_retired": ("retirée", "retired"),
    "admin_rotate": ("Créer une nouvelle clé (rotation)", "Create a new key (rotate)"),
    # Grade outbox.
    "admin_grades_title": ("Administration : notes à envoyer", "Administration: grade outbox"),
    "admin_grades_heading": ("Notes à envoyer aux LMS", "Grades to send to the LMSs"),
    "admin_failed": ("En échec", "Failed"),
    "admin_retry_all": (
        "Renvoyer toutes les notes en échec",
        "Send every failed grade again",
    ),
    "admin_failed_caption": ("Notes en échec", "Failed grades"),
    "admin_platform": ("Plateforme", "Platform"),
    "admin_learner_activity": ("Apprenant · activité", "Learner · activity"),
    "admin_score": ("Note", "Score"),
    "admin_tries": ("Essais", "Tries"),
    "admin_last_error": ("Dernière erreur", "Last error"),
    "admin_action": ("Action", "Action"),
    "admin_retry": ("Renvoyer #{id}", "Retry #{id}"),
    "admin_none_grade": ("Aucune", "None"),
    "admin_pending": ("En attente", "Pending"),
    "admin_pending_caption": ("Notes en attente d'envoi", "Grades waiting to be sent"),
    "admin_next_try_utc": ("Prochain essai (UTC)", "Next try (UTC)"),
}

INSTALL_MESSAGES: dict[str, tuple[str, str]] = {
    "install_title": ("Installer l'outil dans votre LMS", "Installing the tool in your LMS"),
    "install_guide_title": ("Installer l'outil dans {lms}", "Installing the tool in {lms}"),
    "install_nav": ("Guides d'installation", "Installation guides"),
    "install_all": ("Tous les LMS", "All LMSs"),
    "install_other_language": ("English", "Français"),
    "install_dynamic_intro": (
        "Moodle, Canvas et Brightspace savent s'inscrire en collant une seule adresse "
        "(inscription dynamique LTI) :",
        "Moodle, Canvas and Brightspace register the tool from one pasted address "
        "(LTI Dynamic Registration):",
    ),
    "install_each_guide": (
        "Le guide de chaque LMS donne les valeurs exactes de cette instance, pour "
        "l'inscription dynamique comme pour la saisie à la main.",
        "Each LMS's guide gives this instance's exact values, for dynamic registration and "
        "for filling the form by hand.",
    ),
    "install_canvas_json": ("Configuration JSON pour Canvas", "JSON configuration for Canvas"),
    "install_http_html": (
        "Cette instance est servie en http ({home}) : un LMS en production exige https. "
        "Réglez <code>base_url</code> sur l'adresse https publique de l'outil ; les valeurs "
        "ci-dessous suivent ce réglage.",
        "This instance is served over http ({home}): an LMS in production requires https. "
        "Set <code>base_url</code> to the tool's public https address; the values below "
        "follow that setting.",
    ),
    "install_values_caption": ("Valeurs de l'outil à coller", "The tool's values to paste"),
    "install_field": ("Champ", "Field"),
    "install_value": ("Valeur", "Value"),
    "install_dynamic_heading": (
        "En une adresse : inscription dynamique",
        "In one address: dynamic registration",
    ),
    "install_by_hand": ("À la main", "By hand"),
    "install_optional": ("facultatif", "optional"),
    # Registering the LMS in the tool (every guide).
    "install_platform_heading": (
        "Enregistrer le LMS dans l'outil",
        "Registering the LMS in the tool",
    ),
    "install_platform_copy_html": (
        "Copiez les valeurs que le LMS affiche dans la page "
        '<a href="{add}">Administration › Plateformes › Ajouter</a> de l\'outil, ou en ligne '
        "de commande :",
        "Copy the values the LMS shows into the tool's "
        '<a href="{add}">Administration › Platforms › Add</a> page, or on the command line:',
    ),
    "install_platform_policy_html": (
        "Un deployment ID encore inconnu d'un client connu est enregistré au premier lancement "
        "(politique <code>auto</code>) ou attend votre accord (politique <code>approve</code>).",
        "An unseen deployment ID of a known client is recorded at its first launch (policy "
        "<code>auto</code>) or waits for your approval (policy <code>approve</code>).",
    ),
    # Moodle.
    "install_moodle_step_tools_html": (
        "<em>Administration du site › Plugins › Modules d'activité › Outil externe › Gérer "
        "les outils</em>.",
        "<em>Site administration › Plugins › Activity modules › External tool › Manage tools</em>.",
    ),
    "install_moodle_step_paste_html": (
        'Dans <em>URL de l\'outil</em>, collez <code class="url">{url}</code> puis cliquez '
        "sur <em>Ajouter LTI Advantage</em>.",
        'In <em>Tool URL</em>, paste <code class="url">{url}</code>, then click <em>Add LTI '
        "Advantage</em>.",
    ),
    "install_moodle_step_confirm": (
        "La page de l'outil montre ce qui sera inscrit : confirmez.",
        "The tool's page shows what will be registered: confirm.",
    ),
    "install_moodle_step_activate_html": (
        "L'outil apparaît « En attente » : cliquez sur <strong>Activer</strong>.",
        "The tool shows as “Pending”: click <strong>Activate</strong>.",
    ),
    "install_moodle_step_usage_html": (
        "Modifiez l'outil et réglez <em>Utilisation de la configuration de l'outil</em> sur "
        "<strong>Afficher dans le sélecteur d'activités et comme outil préconfiguré</strong>.",
        "Edit the tool and set <em>Tool configuration usage</em> to <strong>Show in activity "
        "chooser and as a preconfigured tool</strong>.",
    ),
    "install_moodle_reach_html": (
        'Moodle doit pouvoir joindre <code class="url">{url}</code> : un outil sur une '
        "adresse privée ou un port non standard est bloqué par les réglages <em>Sécurité "
        "HTTP</em> (<code>curlsecurityblockedhosts</code>, <code>curlsecurityallowedport</code>).",
        'Moodle must be able to reach <code class="url">{url}</code>: a tool on a private '
        "address or a non-standard port is blocked by the <em>HTTP security</em> settings "
        "(<code>curlsecurityblockedhosts</code>, <code>curlsecurityallowedport</code>).",
    ),
    "install_moodle_manual_html": (
        "<em>Gérer les outils › configurer un outil manuellement</em> :",
        "<em>Manage tools › configure a tool manually</em>:",
    ),
    "install_moodle_tool_url": ("URL de l'outil (Tool URL)", "Tool URL"),
    "install_moodle_lti_version": ("Version LTI (LTI version)", "LTI version"),
    "install_moodle_key_type": ("Type de clé publique (Public key type)", "Public key type"),
    "install_moodle_keyset": ("Jeu de clés public (Public keyset)", "Public keyset"),
    "install_moodle_login_url": ("URL de connexion (Initiate login URL)", "Initiate login URL"),
    "install_moodle_redirect": (
        "URI de redirection (Redirection URI(s))",
        "Redirection URI(s)",
    ),
    "install_moodle_deep_linking": (
        "Sélection de contenu (Supports Deep Linking (Content-Item Message))",
        "Supports Deep Linking (Content-Item Message)",
    ),
    "install_moodle_content_url": (
        "URL de sélection de contenu (Content Selection URL)",
        "Content Selection URL",
    ),
    "install_moodle_container": (
        "Conteneur de lancement (Default launch container)",
        "Default launch container",
    ),
    "install_moodle_embed": ("Intégré (Embed)", "Embed"),
    "install_moodle_save_html": (
        "Enregistrez, puis ouvrez <em>Voir les détails de configuration</em> (icône liste) "
        "pour copier les valeurs du LMS.",
        "Save, then open <em>View configuration details</em> (list icon) to copy the LMS's values.",
    ),
    "install_moodle_wwwroot_html": (
        "Remplacez <code>https://moodle.example.org</code> par l'adresse (wwwroot) de votre "
        "Moodle. Le Deployment ID de Moodle est le numéro de l'outil (1, 2…).",
        "Replace <code>https://moodle.example.org</code> with your Moodle's address "
        "(wwwroot). Moodle's Deployment ID is the tool's number (1, 2…).",
    ),
    # Canvas.
    "install_canvas_step_paste_html": (
        'Collez <code class="url">{url}</code>, confirmez sur la page de l\'outil, puis '
        "passez la clé sur <strong>On</strong>.",
        'Paste <code class="url">{url}</code>, confirm on the tool\'s page, then turn the '
        "key <strong>On</strong>.",
    ),
    "install_canvas_step_app_html": (
        "<em>Settings › Apps › + App › By Client ID</em> avec le Client ID de la clé, si "
        "Canvas ne l'a pas installée.",
        "<em>Settings › Apps › + App › By Client ID</em> with the key's Client ID, if Canvas "
        "did not install it.",
    ),
    "install_canvas_json_heading": ("Par la configuration JSON", "With the JSON configuration"),
    "install_canvas_json_html": (
        "<em>Admin › Developer Keys › + Developer Key › + LTI Key</em>, <em>Method</em> : "
        '<strong>Enter URL</strong> avec <code class="url">{url}</code> (ou '
        "<strong>Paste JSON</strong> avec son contenu). Passez la clé sur <strong>On</strong> "
        "et ajoutez l'application par son Client ID.",
        "<em>Admin › Developer Keys › + Developer Key › + LTI Key</em>, <em>Method</em>: "
        '<strong>Enter URL</strong> with <code class="url">{url}</code> (or '
        "<strong>Paste JSON</strong> with its content). Turn the key <strong>On</strong> and "
        "add the app by its Client ID.",
    ),
    "install_canvas_cloud": (
        "Ce sont les valeurs de Canvas Cloud ; un Canvas hébergé chez vous donne les siennes. "
        "Canvas crée un Deployment ID par installation (compte, sous-compte ou cours).",
        "These are Canvas Cloud's values; a self-hosted Canvas gives its own. Canvas creates "
        "one Deployment ID per installation (account, sub-account or course).",
    ),
    # Brightspace.
    "install_brightspace_step_endpoint_html": (
        '<em>Tool initiation registration endpoint</em> : <code class="url">{url}</code> ; '
        "confirmez sur la page de l'outil.",
        '<em>Tool initiation registration endpoint</em>: <code class="url">{url}</code>; '
        "confirm on the tool's page.",
    ),
    "install_brightspace_step_deploy_html": (
        "Activez l'outil, puis <em>Manage Tool Deployments › New Deployment</em> : cochez les "
        "services (notes, participants) et choisissez les unités d'organisation.",
        "Enable the tool, then <em>Manage Tool Deployments › New Deployment</em>: tick the "
        "services (grades, participants) and choose the org units.",
    ),
    "install_brightspace_values": (
        "Brightspace affiche ces valeurs (Issuer, Client Id, Brightspace Keyset URL, OAuth2 "
        "Access Token URL, OpenID Connect Authentication Endpoint, OAuth2 Audience) après "
        "l'enregistrement ; le Deployment ID est celui du déploiement créé.",
        "Brightspace shows these values (Issuer, Client Id, Brightspace Keyset URL, OAuth2 "
        "Access Token URL, OpenID Connect Authentication Endpoint, OAuth2 Audience) after "
        "registration; the Deployment ID is the one of the deployment you created.",
    ),
    # Blackboard.
    "install_blackboard_intro": (
        "Blackboard Learn n'a pas d'inscription dynamique : l'outil s'enregistre une fois sur "
        "le portail des développeurs d'Anthology, puis chaque établissement l'ajoute par son "
        "Application ID.",
        "Blackboard Learn has no dynamic registration: the tool is registered once on "
        "Anthology's developer portal, then each institution adds it by its Application ID.",
    ),
    "install_blackboard_portal": ("1. Portail des développeurs", "1. Developer portal"),
    "install_blackboard_in_learn": ("2. Dans Blackboard Learn", "2. In Blackboard Learn"),
    "install_blackboard_register_html": (
        "<em>System Admin › Integrations › LTI Tool Providers › Register LTI 1.3/Advantage "
        "Tool</em> : collez l'Application ID (le Client ID), réglez l'envoi du nom des "
        "utilisateurs et autorisez les notes ; Learn affiche alors le Deployment ID.",
        "<em>System Admin › Integrations › LTI Tool Providers › Register LTI 1.3/Advantage "
        "Tool</em>: paste the Application ID (the Client ID), allow sending user names and "
        "allow grades; Learn then shows the Deployment ID.",
    ),
    "install_blackboard_urls_html": (
        "Le portail affiche les URL exactes de l'émetteur, du jeu de clés, du jeton et de "
        "l'authentification : si elles diffèrent de celles-ci (anciens portails en "
        "<code>developer.blackboard.com</code>), prenez les siennes.",
        "The portal shows the exact issuer, keyset, token and authentication URLs: if they "
        "differ from these (older portals on <code>developer.blackboard.com</code>), use its "
        "own.",
    ),
    # Open edX.
    "install_openedx_intro_html": (
        "Open edX n'a pas d'inscription dynamique : l'outil s'ajoute dans Studio, composant "
        "par composant (<em>LTI Consumer</em>).",
        "Open edX has no dynamic registration: the tool is added in Studio, one component at "
        "a time (<em>LTI Consumer</em>).",
    ),
    "install_openedx_step_module_html": (
        "<em>Paramètres › Paramètres avancés › Liste des modules avancés</em> : ajoutez "
        '<code>"lti_consumer"</code>.',
        "<em>Settings › Advanced Settings › Advanced Module List</em>: add "
        '<code>"lti_consumer"</code>.',
    ),
    "install_openedx_step_unit_html": (
        "Dans une unité : <em>Avancé › LTI Consumer</em>, puis <em>Modifier</em>.",
        "In a unit: <em>Advanced › LTI Consumer</em>, then <em>Edit</em>.",
    ),
    "install_openedx_save": (
        "Enregistrez : le composant affiche alors ses Client ID, Deployment ID, Keyset URL, "
        "Access Token URL et Login URL à copier dans l'outil. L'issuer est l'adresse du LMS "
        "Open edX.",
        "Save: the component then shows its Client ID, Deployment ID, Keyset URL, Access "
        "Token URL and Login URL to copy into the tool. The issuer is the Open edX LMS's "
        "address.",
    ),
}

REGISTRATION_MESSAGES: dict[str, tuple[str, str]] = {
    "registration_confirm_title": (
        "Inscrire l'outil dans {product}",
        "Register the tool in {product}",
    ),
    "registration_check": (
        "Vérifiez ce qui va être inscrit, puis confirmez.",
        "Check what will be registered, then confirm.",
    ),
    "registration_the_lms": ("Le LMS", "The LMS"),
    "registration_product": ("Produit", "Product"),
    "registration_issuer": ("Identifiant (issuer)", "Identifier (issuer)"),
    "registration_endpoint": ("Inscription", "Registration endpoint"),
    "registration_the_tool": ("L'outil", "The tool"),
    "registration_name": ("Nom", "Name"),
    "registration_name_other": ("en anglais :", "in French:"),
    "registration_domain": ("Domaine", "Domain"),
    "registration_login_url": ("URL de connexion", "Initiate login URL"),
    "registration_launch_url": (
        "URL de lancement et de redirection",
        "Launch and redirection URL",
    ),
    "registration_keyset": ("Jeu de clés", "Keyset URL"),
    "registration_deep_linking": ("Sélection de contenu", "Deep linking"),
    "registration_yes": ("oui", "yes"),
    "registration_no_deep_linking": (
        "non : le LMS ne l'annonce pas",
        "no: the LMS does not offer it",
    ),
    "registration_services": ("Services demandés", "Services requested"),
    "registration_no_service": ("aucun", "none"),
    "registration_personal_data": ("Données personnelles", "Personal data"),
    "registration_personal_data_text": (
        "identifiant et nom, pas d'adresse électronique",
        "id and name, no e-mail address",
    ),
    "registration_needs_approval": (
        "Après l'inscription, un administrateur de l'outil devra l'approuver avant le premier "
        "lancement.",
        "After registration, an administrator of the tool must approve it before the first launch.",
    ),
    "registration_submit": ("Inscrire l'outil", "Register the tool"),
    "registration_done_title": ("Outil inscrit dans {product}", "Tool registered in {product}"),
    "registration_done_heading": ("Outil inscrit", "Tool registered"),
    "registration_done": (
        "L'outil est inscrit dans {product}.",
        "The tool is registered in {product}.",
    ),
    "registration_deployment_later": (
        "pas encore : il sera enregistré au premier lancement",
        "not yet: it will be recorded at the first launch",
    ),
    "registration_left_to_do": ("Il reste à faire", "What is left to do"),
    "registration_moodle_activate_html": (
        "Dans Moodle, <em>Gérer les outils</em> : l'outil est « En attente » ; cliquez sur "
        "<strong>Activer</strong>.",
        "In Moodle, <em>Manage tools</em>: the tool is “Pending”; click <strong>Activate</strong>.",
    ),
    "registration_moodle_usage_html": (
        "Modifiez l'outil (roue dentée) et réglez <em>Utilisation de la configuration de "
        "l'outil</em> sur <strong>Afficher dans le sélecteur d'activités et comme outil "
        "préconfiguré</strong> : sinon les enseignants ne le voient pas.",
        "Edit the tool (cog) and set <em>Tool configuration usage</em> to <strong>Show in "
        "activity chooser and as a preconfigured tool</strong>: otherwise teachers do not "
        "see it.",
    ),
    "registration_canvas_html": (
        "Dans Canvas, <em>Admin › Developer Keys</em> : passez la clé de l'outil sur "
        "<strong>On</strong>, puis ajoutez l'application avec son Client ID (<em>Settings › "
        "Apps › + App › By Client ID</em>) si Canvas ne l'a pas fait.",
        "In Canvas, <em>Admin › Developer Keys</em>: turn the tool's key <strong>On</strong>, "
        "then add the app by its Client ID (<em>Settings › Apps › + App › By Client ID</em>) "
        "if Canvas did not.",
    ),
    "registration_brightspace_html": (
        "Dans Brightspace, <em>Manage Extensibility › LTI Advantage</em> : activez l'outil, "
        "puis créez un déploiement (<em>Manage Tool Deployments › New Deployment</em>) pour "
        "les unités d'organisation voulues.",
        "In Brightspace, <em>Manage Extensibility › LTI Advantage</em>: enable the tool, then "
        "create a deployment (<em>Manage Tool Deployments › New Deployment</em>) for the org "
        "units you want.",
    ),
    "registration_other_lms": (
        "Dans le LMS, activez l'outil et rendez-le disponible aux enseignants.",
        "In the LMS, enable the tool and make it available to teachers.",
    ),
    "registration_approve_html": (
        "Un administrateur de l'outil doit approuver l'inscription sur la page "
        "<em>Administration › Plateformes</em> de l'outil ; les lancements sont refusés "
        "d'ici là.",
        "An administrator of the tool must approve the registration on the tool's "
        "<em>Administration › Platforms</em> page; launches are refused until then.",
    ),
    "registration_add_activity_html": (
        "Dans un cours, ajoutez une activité <em>Outil externe</em> avec cet outil et "
        "choisissez le contenu (sélection de contenu).",
        "In a course, add an <em>External tool</em> activity with this tool and select the "
        "content (deep linking).",
    ),
    "registration_close_window": (
        "Vous pouvez maintenant fermer cette fenêtre ou revenir à la liste des outils du LMS.",
        "You may now close this window or go back to the LMS's tool list.",
    ),
    "registration_finish": ("Terminer et revenir au LMS", "Finish and go back to the LMS"),
    "registration_failed_title": (
        "L'inscription n'a pas abouti",
        "The registration did not succeed",
    ),
    "registration_lms_answer": ("Réponse du LMS", "The LMS's answer"),
    "registration_code": ("Code :", "Code:"),
    "registration_reference": ("Référence à communiquer :", "Reference to pass on:"),
    "registration_retry": ("Réessayer", "Try again"),
    "registration_guides": ("Guides d'installation par LMS", "Installation guides per LMS"),
    # What went wrong (lti_tool.dynamic_registration.RegistrationError codes), and what to do.
    "registration_problem_missing_parameters": (
        "Cette adresse s'ouvre depuis le LMS : collez-la dans son formulaire d'inscription "
        "dynamique (LTI Advantage), qui l'ouvre avec openid_configuration et "
        "registration_token.",
        "This address is opened by the LMS: paste it into its dynamic registration form "
        "(LTI Advantage), which opens it with openid_configuration and registration_token.",
    ),
    "registration_problem_config_unreachable": (
        "L'outil n'a pas pu lire la configuration du LMS. Vérifiez que le serveur de l'outil "
        "peut joindre le LMS (pare-feu, proxy, certificat), puis réessayez.",
        "The tool could not read the LMS's configuration. Check that the tool's server can "
        "reach the LMS (firewall, proxy, certificate), then try again.",
    ),
    "registration_problem_config_invalid": (
        "La configuration renvoyée par le LMS est incomplète ou illisible pour LTI 1.3.",
        "The configuration the LMS returned is incomplete or unreadable for LTI 1.3.",
    ),
    "registration_problem_issuer_mismatch": (
        "L'adresse de la configuration ne commence pas par l'identifiant (issuer) annoncé "
        "par le LMS : l'inscription est refusée, car rien ne garantit que ce LMS est bien "
        "celui qu'il prétend être. Vérifiez l'adresse publique (wwwroot) du LMS.",
        "The configuration's address does not start with the issuer the LMS announces: the "
        "registration is refused, since nothing shows this LMS is the one it claims to be. "
        "Check the LMS's public address (wwwroot).",
    ),
    "registration_problem_insecure_url": (
        "Le LMS doit être servi en https (http n'est accepté que sur cette machine, pour un "
        "essai local).",
        "The LMS must be served over https (http is accepted only on this machine, for a "
        "local trial).",
    ),
    "registration_problem_registration_unreachable": (
        "L'outil n'a pas pu envoyer son inscription au LMS. Réessayez dans un instant.",
        "The tool could not send its registration to the LMS. Try again in a moment.",
    ),
    "registration_problem_registration_refused": (
        "Le LMS a refusé l'inscription. Sa réponse est ci-dessous ; si elle parle de "
        "domaine (domain_targetlinkuri_mismatch), vérifiez le réglage base_url de l'outil.",
        "The LMS refused the registration. Its answer is below; if it mentions the domain "
        "(domain_targetlinkuri_mismatch), check the tool's base_url setting.",
    ),
    "registration_problem_registration_invalid": (
        "Le LMS a répondu sans identifiant client (client_id) : l'inscription est inutilisable.",
        "The LMS answered without a client id: the registration cannot be used.",
    ),
    "registration_problem_token_used": (
        "Ce jeton d'inscription a déjà servi : chaque jeton ne sert qu'une fois. Recommencez "
        "depuis le LMS (collez de nouveau l'adresse d'inscription) pour en obtenir un neuf. "
        "Si l'outil apparaît déjà dans la liste des outils du LMS, l'inscription a réussi.",
        "This registration token has already been used: each token works once. Start again "
        "from the LMS (paste the registration address again) to get a new one. If the tool "
        "already shows in the LMS's tool list, the registration succeeded.",
    ),
    "registration_problem_token_refused": (
        "Le LMS a refusé le jeton d'inscription : il a expiré (une heure dans Moodle) ou n'est "
        "pas valable. Recommencez depuis le LMS pour en obtenir un neuf.",
        "The LMS refused the registration token: it has expired (one hour in Moodle) or is "
        "not valid. Start again from the LMS to get a new one.",
    ),
    "registration_problem_form_expired": (
        "Ce formulaire a expiré ou a été modifié. Recommencez depuis le LMS.",
        "This form has expired or was altered. Start again from the LMS.",
    ),
    "registration_problem_registration_conflict": (
        "Cette inscription ne peut pas être enregistrée dans l'outil.",
        "This registration cannot be recorded in the tool.",
    ),
}
