"""The demo privacy notice (``/it/privacy/``, ``/en/privacy/``): the full GDPR art. 13 notice, to be
adapted by the controller (names and contacts are the demo's). Its version is
``settings.ACADEMY["PRIVACY_NOTICE_VERSION"]``: bump it when the text changes, so new consents record it.
The retention periods and what erasure keeps are the ones ``docs/privacy.md`` documents."""

from __future__ import annotations

from cms.models import StandardPage

from .base import DemoContext, publish

IT = [
    ("Titolare del trattamento", "Consorzio Nazionale della rete delle cooperative sociali (dati di contatto "
     "nella pagina «Chi siamo»), e-mail <a href=\"mailto:privacy@academy.example\">privacy@academy.example</a>."),
    ("Responsabile della protezione dei dati (DPO)", "Contattabile all'indirizzo "
     "<a href=\"mailto:dpo@academy.example\">dpo@academy.example</a> per ogni questione sui tuoi dati."),
    ("Quali dati trattiamo", "Nome, cognome, e-mail, organizzazione e ruolo; codice fiscale se lo fornisce "
     "la tua organizzazione; iscrizioni, presenze (anche i tempi di collegamento e uscita registrati da "
     "Microsoft Teams), attestati; per le masterclass la candidatura e il referente che la sostiene; la "
     "formazione esterna inserita dal responsabile HR della tua organizzazione; i tentativi del test finale di "
     "apprendimento; i crediti ECM. Le risposte ai questionari di gradimento sono anonime: registriamo solo "
     "che hai risposto, non che cosa. Se un responsabile HR inserisce nel proprio organico un indirizzo che "
     "non appartiene ai domini della sua organizzazione, la richiesta resta in attesa della tua conferma "
     "(o di quella dello staff) e viene cancellata con i tuoi dati."),
    ("Finalità e basi giuridiche (art. 6 GDPR)", "<ul><li>gestire account, iscrizioni, webinar, presenze e "
     "attestati: esecuzione del servizio richiesto (art. 6.1.b);</li><li>rendicontare la formazione "
     "finanziata dai fondi interprofessionali e quella obbligatoria (es. sicurezza sul lavoro) e conservarne "
     "le prove: obbligo legale (art. 6.1.c);</li><li>permettere al responsabile HR della tua organizzazione "
     "di seguire la formazione del personale e tutelare il sistema da abusi (limiti ai tentativi di accesso): "
     "legittimo interesse (art. 6.1.f).</li></ul>"),
    ("Destinatari", "La tua organizzazione (il suo responsabile HR); i docenti del corso; il fondo "
     "interprofessionale e i suoi ispettori per la formazione finanziata. Responsabili del trattamento "
     "(art. 28): Microsoft Ireland Operations Ltd per Microsoft Teams (riunioni, inviti, report di presenza), "
     "il fornitore del servizio e-mail e il fornitore dell'hosting che ospita il sito e il database."),
    ("Trasferimenti fuori dall'UE", "Microsoft conserva e tratta i dati di Teams nell'EU Data Boundary; "
     "restano limitati trasferimenti (es. accesso remoto per assistenza e sicurezza), protetti dalle Clausole "
     "contrattuali tipo della Commissione europea e dall'EU-U.S. Data Privacy Framework, come da Data "
     "Protection Addendum di Microsoft. Gli altri fornitori trattano i dati nell'UE."),
    ("Per quanto tempo", "<ul><li>account e profilo: finché resta attivo, poi fino alla richiesta di "
     "cancellazione;</li><li>iscrizioni ai corsi non finanziati: per il periodo di conservazione "
     "configurato, poi cancellate;</li><li>fascicolo dei corsi finanziati od obbligatori (registri, "
     "presenze, attestati, dichiarazioni): 10 anni dalla fine del corso, anche se chiedi la cancellazione "
     "(art. 17.3.b GDPR), poi eliminati;</li><li>e-mail inviate: restano solo chiave, stato e data, senza "
     "destinatario né testo, dopo la cancellazione;</li><li>registri di accesso falliti: poche ore;</li><li>"
     "registri degli accessi riusciti (indirizzo e-mail, indirizzo IP, browser, ora): 90 giorni, e cancellati "
     "subito con la cancellazione del tuo account.</li></ul>"),
    ("Il fascicolo dei corsi finanziati", "Per i corsi di un piano finanziato da un fondo interprofessionale "
     "(per esempio Fon.Coop) teniamo il fascicolo che il fondo può controllare: i registri di ogni sessione con "
     "i tuoi orari di collegamento e uscita (dai report di presenza di Microsoft Teams, conservati come li "
     "abbiamo importati, perché Teams li elimina dopo circa un anno) o di ingresso e uscita in aula, il "
     "riepilogo delle ore frequentate, gli attestati e la dichiarazione del responsabile del piano. Lo vedono "
     "lo staff dell'Academy, il responsabile del piano e, durante il piano, gli ispettori del fondo con un "
     "accesso temporaneo di sola lettura, registrato a ogni consultazione. Lo conserviamo per 10 anni dalla "
     "fine del piano (o per il periodo indicato nel piano), anche se chiedi la cancellazione: in quel caso il "
     "tuo nome, codice fiscale e organizzazione restano solo nel fascicolo, e tutto il resto è reso anonimo. "
     "Alla scadenza il fascicolo è eliminato e la cancellazione completata."),
    ("Cosa resta se chiedi la cancellazione", "I tuoi dati sono cancellati o resi anonimi ovunque; i numeri "
     "(partecipanti, ore) restano anonimi. Restano con il tuo nome solo, fino alla scadenza, gli attestati e "
     "i registri dei corsi finanziati od obbligatori; gli altri attestati sono revocati e i PDF eliminati."),
    ("I tuoi diritti", "Accesso, rettifica, cancellazione, limitazione, portabilità, opposizione (artt. "
     "15–22 GDPR): scarica i tuoi dati o chiedine la cancellazione da «La mia Academy», oppure scrivi al "
     "DPO. Puoi proporre reclamo al Garante per la protezione dei dati personali "
     "(<a href=\"https://www.garanteprivacy.it\">www.garanteprivacy.it</a>)."),
    ("Accesso tramite API", "Se crei un token API (da «La mia Academy») registriamo nome, ambito, scadenza e "
     "ultimo uso del token, mai il token stesso. Quando il responsabile HR della tua organizzazione o lo staff "
     "leggono dati di altre persone tramite l'API registriamo chi ha letto, quando, quale indirizzo e quante "
     "persone conteneva la risposta, per 12 mesi (legittimo interesse: controllo degli accessi, art. 6.1.f). "
     "I tuoi token sono cancellati con il tuo account. Le notifiche (webhook) inviate ai sistemi della tua "
     "organizzazione contengono solo identificativi numerici, non nomi né indirizzi, e il loro registro è "
     "cancellato dopo 30 giorni."),
    ("Accesso con Microsoft e secondo fattore", "Se accedi con l'account Microsoft 365 della tua "
     "organizzazione, riceviamo da Microsoft un token firmato: conserviamo l'identificativo del tenant e del tuo "
     "account (tid e oid, che collegano l'accesso al tuo account dell'Academy), nome, cognome, indirizzo e-mail "
     "e il metodo di autenticazione dichiarato (per esempio se hai usato l'autenticazione a più fattori); non "
     "conserviamo i token di accesso di Microsoft. Se attivi un secondo fattore conserviamo la chiave della app "
     "di autenticazione, la chiave pubblica della passkey (mai la tua impronta o il tuo volto, che restano sul "
     "dispositivo) e i codici di recupero, con la data dell'ultimo uso. Il secondo fattore è obbligatorio per "
     "staff, responsabili HR e ispettori, che vedono dati di altre persone (legittimo interesse e sicurezza del "
     "trattamento, artt. 6.1.f e 32 GDPR). Sono inclusi nel download dei tuoi dati (senza le chiavi) e "
     "cancellati con la cancellazione dell'account."),
    ("Cookie", "Solo cookie tecnici necessari (sessione e protezione CSRF, lingua): nessun cookie di "
     "profilazione o di terze parti, quindi nessun banner di consenso."),
]

EN = [
    ("Controller", "The national consortium of the network of social cooperatives (contact details on the "
     "\"About us\" page), e-mail <a href=\"mailto:privacy@academy.example\">privacy@academy.example</a>."),
    ("Data protection officer (DPO)", "Write to <a href=\"mailto:dpo@academy.example\">dpo@academy.example</a> "
     "about anything concerning your data."),
    ("What we process", "First and last name, e-mail, organisation and role; the codice fiscale if your "
     "organisation provides it; registrations, attendance (including the join and leave times Microsoft "
     "Teams reports), certificates; for masterclasses the application and its endorser; external training "
     "entered by your organisation's HR officer; your attempts at a course's final learning test; ECM "
     "credits. Satisfaction questionnaires are anonymous: we record only that you answered, not what. When an "
     "HR officer lists on their staff roster an address outside their organisation's domains, the entry waits "
     "for your (or staff's) confirmation and is deleted with your data."),
    ("Purposes and legal bases (GDPR art. 6)", "<ul><li>running your account, registrations, webinars, "
     "attendance and certificates: performance of the service you ask for (art. 6(1)(b));</li><li>reporting "
     "training funded by interprofessional funds and mandatory training (e.g. workplace safety) and keeping "
     "its proof: legal obligation (art. 6(1)(c));</li><li>letting your organisation's HR officer follow staff "
     "training, and protecting the system from abuse (login attempt limits): legitimate interest "
     "(art. 6(1)(f)).</li></ul>"),
    ("Recipients", "Your organisation (its HR officer); the course's trainers; the interprofessional fund "
     "and its inspectors for funded training. Processors (art. 28): Microsoft Ireland Operations Ltd for "
     "Microsoft Teams (meetings, invitations, attendance reports), the e-mail service provider and the "
     "hosting provider of the site and its database."),
    ("Transfers outside the EU", "Microsoft stores and processes Teams data in its EU Data Boundary; limited "
     "transfers remain (e.g. remote access for support and security), covered by the European Commission's "
     "Standard Contractual Clauses and the EU-U.S. Data Privacy Framework under Microsoft's Data Protection "
     "Addendum. Our other providers process data in the EU."),
    ("How long", "<ul><li>account and profile: while active, then until you ask for erasure;</li><li>"
     "registrations for courses that are not funded: for the configured retention period, then deleted;"
     "</li><li>the file of funded or mandatory courses (registers, attendance, certificates, declarations): "
     "10 years after the course ends, even if you ask for erasure (GDPR art. 17(3)(b)), then deleted;</li>"
     "<li>e-mails sent: after erasure only their key, status and date remain, without recipient or text;"
     "</li><li>failed login records: a few hours;</li><li>successful login records (e-mail address, IP "
     "address, browser, time): 90 days, and deleted at once when your account is erased.</li></ul>"),
    ("The course file of funded training", "For the courses of a plan funded by an interprofessional fund "
     "(e.g. Fon.Coop) we keep the file the fund may inspect: each session's register with your login and "
     "logout times (from Microsoft Teams' attendance reports, kept as we imported them, because Teams deletes "
     "them after about a year) or your check-in and check-out in the room, the summary of the hours you "
     "attended, the certificates and the plan manager's declaration. It is seen by the Academy's staff, the "
     "plan's responsible person and, during the plan, the fund's inspectors through a temporary read-only "
     "access logged at every visit. We keep it for 10 years after the plan ends (or the period the plan "
     "sets), even if you ask for erasure: then your name, codice fiscale and organisation remain only in the "
     "file and everything else is anonymised. When the period ends the file is deleted and the erasure "
     "completed."),
    ("What erasure keeps", "Your data are deleted or anonymised everywhere; counts (participants, hours) "
     "stay, anonymous. Only the certificates and registers of funded or mandatory courses keep your name, "
     "until their period ends; other certificates are revoked and their PDFs deleted."),
    ("Your rights", "Access, rectification, erasure, restriction, portability, objection (GDPR arts. 15–22): "
     "download your data or ask for erasure from \"My Academy\", or write to the DPO. You may lodge a "
     "complaint with the Garante per la protezione dei dati personali "
     "(<a href=\"https://www.garanteprivacy.it\">www.garanteprivacy.it</a>)."),
    ("Access through the API", "If you create an API token (in My Academy) we record its name, scope, expiry "
     "and last use, never the token itself. When your organisation's HR officer or staff read other people's "
     "data through the API we record who read, when, which address and how many people the answer held, for "
     "12 months (legitimate interest: access control, art. 6(1)(f)). Your tokens are deleted with your "
     "account. Notifications (webhooks) sent to your organisation's systems carry numeric ids only, no names "
     "or addresses, and their log is deleted after 30 days."),
    ("Sign-in with Microsoft and second factor", "If you sign in with your organisation's Microsoft 365 "
     "account, Microsoft sends us a signed token: we keep the tenant and account identifiers (tid and oid, which "
     "link the sign-in to your Academy account), your name, e-mail address and the authentication method it "
     "reports (for example whether multi-factor authentication was used); we do not keep Microsoft's access "
     "tokens. If you set up a second factor we keep the authenticator app's key, the passkey's public key (never "
     "your fingerprint or face, which stay on your device) and the recovery codes, with the date each was last "
     "used. A second factor is required for staff, HR officers and inspectors, who see other people's data "
     "(legitimate interest and security of processing, GDPR arts. 6(1)(f) and 32). They are part of your data "
     "download (without the keys) and are deleted when you erase your account."),
    ("Cookies", "Only the technical cookies the site needs (session and CSRF protection, language): no "
     "profiling or third-party cookies, hence no consent banner."),
]


def notice_body(sections) -> list[tuple[str, str]]:
    blocks = []
    for heading, text in sections:
        blocks.append(("paragraph", f"<h2>{heading}</h2>" + (text if text.startswith("<") else f"<p>{text}</p>")))
    return blocks


def load_privacy_notice(ctx: DemoContext, home) -> None:
    """Create the notice in both languages, or bring an older demo notice up to this text."""
    page = StandardPage.objects.filter(locale=ctx.it, slug="privacy").first()
    if page is None:
        page = StandardPage(title="Informativa privacy", slug="privacy", show_in_menus=False)
        home.add_child(instance=page)
    texts = ((page, "Informativa privacy", "Come l'Academy tratta i dati personali di chi si iscrive ai corsi "
              "(art. 13 del Regolamento UE 2016/679).", IT),)
    for target, title, intro, sections in texts:
        if "Garante" not in str(target.body):
            target.title, target.intro, target.body = title, intro, notice_body(sections)
            publish(target)
    english = page.get_translation_or_none(ctx.en)
    if english is None:
        english = page.copy_for_translation(ctx.en, copy_parents=False).specific
    english = english.specific
    if "Garante" not in str(english.body) or "Titolare" in str(english.body):
        english.title, english.slug = "Privacy notice", "privacy"
        english.intro = ("How the Academy handles the personal data of people who register "
                         "(art. 13 of Regulation (EU) 2016/679).")
        english.body = notice_body(EN)
        publish(english)
