"""Demo case studies drawn from the network's documents (../shared/seeds/), in Italian and English."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Study:
    slug: str
    title: str
    title_en: str
    summary: str
    summary_en: str
    territory: str
    area: str
    sector: str
    cooperatives: list[str]
    challenge: str
    approach: str
    results: str
    body: str
    results_en: str
    body_en: str
    figures: list[tuple[str, str, str]] = field(default_factory=list)  # value, label it, label en
    tags: list[str] = field(default_factory=list)
    in_masterclass: bool = True
    territory_en: str = ""
    challenge_en: str = ""
    approach_en: str = ""


def _welfare_platform(city: str, slug: str, year_note: str, partners: list[str], sector: str, area: str,
                      extra: str, extra_en: str, tags: list[str]) -> Study:
    return Study(
        slug=slug,
        title=f"Piattaforma di welfare territoriale a {city}",
        title_en=f"A territorial welfare platform in {city}",
        summary=f"Servizi alla persona prenotabili online a {city}: l'esperienza del welfare aziendale "
                "messa a servizio della comunità.",
        summary_en=f"Personal services bookable online in {city}: company-welfare know-how put at the "
                   "service of the community.",
        territory=city, area=area, sector=sector, cooperatives=partners,
        challenge="<p>La chiusura di scuole e asili, il lavoro agile dei genitori e la solitudine di molte "
                  "persone anziane e fragili hanno reso più complessa la gestione della quotidianità e "
                  "richiesto nuovi modelli di protezione sociale.</p>",
        approach="<p>Il Gruppo Cooperativo e Moving hanno messo a servizio della comunità l'esperienza "
                 "maturata nel welfare aziendale, sviluppando una piattaforma personalizzata di servizi alla "
                 f"persona realizzata con le cooperative del territorio. {year_note}</p>",
        results="<p>Servizi modificati nei contenuti e nelle modalità di erogazione (a distanza o a "
                "domicilio), prezzi calmierati per tutte le fasce di reddito e qualità certificata secondo "
                "la prassi di riferimento UNI sui servizi alla persona.</p>",
        body=f"<p>{extra}</p>",
        results_en="<p>Services redesigned in content and delivery (remote or at home), capped prices for "
                   "every income band and quality certified under the UNI reference practice for personal "
                   "services.</p>",
        body_en=f"<p>{extra_en}</p>",
        challenge_en="<p>Closed schools and nurseries, parents working from home and the loneliness of many "
                     "elderly and frail people made daily life harder to manage and called for new models of "
                     "social protection.</p>",
        approach_en="<p>The cooperative group and Moving put their company-welfare experience at the service "
                    "of the community, developing a tailored platform of personal services delivered with the "
                    "local cooperatives.</p>",
        figures=[("4", "città con una piattaforma attiva prima di Napoli", "cities with a platform before Napoli")],
        tags=tags,
    )


def studies() -> list[Study]:
    return [
        _welfare_platform(
            "Sondrio", "welfare-territoriale-sondrio", "Sondrio è stata una delle tre sperimentazioni pilota.",
            [], "elderly", "socio-sanitario",
            "A Sondrio la piattaforma viene utilizzata strategicamente anche per pensare al servizio, e non "
            "viceversa: è uno dei progetti pilota da cui la rete ha tratto apprendimenti sull'adattamento "
            "dei servizi di welfare al contesto e sulla duttilità dello strumento digitale.",
            "In Sondrio the platform is used strategically to design the service itself, not the other way "
            "round: one of the pilots from which the network learned how welfare services adapt to context.",
            ["welfare territoriale", "piattaforme", "progetto pilota"]),
        _welfare_platform(
            "Biella", "welfare-territoriale-biella", "Biella è stata la prima delle sperimentazioni pilota.",
            [], "disability", "socio-sanitario",
            "A Biella la piattaforma è spesa su progetti specifici per erogare servizi, rendicontarli e "
            "raccogliere dati per le valutazioni di impatto.",
            "In Biella the platform serves specific projects: delivering services, reporting on them and "
            "collecting data for impact evaluation.",
            ["welfare territoriale", "valutazione d'impatto"]),
        _welfare_platform(
            "Matera", "welfare-territoriale-matera", "Matera è una delle tre sperimentazioni pilota.",
            [], "other", "socio-sanitario",
            "La sperimentazione di Matera ha mostrato la velocità con cui lo strumento digitale può "
            "rispondere alle esigenze mutate delle comunità.",
            "The Matera pilot showed how quickly a digital tool can respond to a community's changing needs.",
            ["welfare territoriale", "progetto pilota"], ),
        Study(
            slug="rhowelfare", title="rhowelfare: servizi territoriali ed educazione digitale a Rho",
            title_en="rhowelfare: local services and digital education in Rho",
            summary="La piattaforma realizzata con Stripes Cooperativa Sociale per famiglie, bambini, "
                    "operatori sanitari e anziani.",
            summary_en="The platform built with Stripes social cooperative for families, children, health "
                       "workers and elderly people.",
            territory="Rho", area="digitale", sector="childhood", cooperatives=["Stripes Cooperativa Sociale"],
            challenge="<p>Rispondere in modo straordinario ai bisogni delle famiglie e dei loro bambini e "
                      "ragazzi, degli insegnanti, degli operatori sanitari, dei caregiver e dei neogenitori "
                      "durante l'emergenza.</p>",
            approach="<p>Dopo Biella, Matera e Sondrio, la piattaforma rhowelfare raccoglie servizi di "
                     "intrattenimento ludico-educativo, tutoring online per i compiti, educazione digitale per "
                     "insegnanti e anziani, supporto psicologico ai sanitari e alla genitorialità.</p>",
            results="<p>Un paniere di servizi sempre in aggiornamento, acquistabili online con carta o "
                    "pagamento digitale, con prezzi calmierati e rimborsabili secondo i decreti.</p>",
            body="<p>«Con rhowelfare la cooperativa Stripes ha scelto di esserci sin da subito per stare "
                 "accanto alle persone come fa quotidianamente nei servizi» — Dafne Guida, Presidente e "
                 "Direttore Generale di Stripes.</p><p>Tra i servizi: yoga e lettura di favole online, "
                 "consulenze sull'allattamento per neomamme e neopapà, supporto babysitter.</p>",
            results_en="<p>A constantly updated basket of services, bought online by card or digital payment, "
                       "at capped prices.</p>",
            challenge_en="<p>Respond in an extraordinary way to the needs of families and their children and "
                         "teenagers, teachers, health workers, caregivers and new parents during the "
                         "emergency.</p>",
            approach_en="<p>After Biella, Matera and Sondrio, the rhowelfare platform gathers playful and "
                        "educational entertainment, online homework tutoring, digital education for teachers and "
                        "elderly people, and psychological support for health workers and parents.</p>",
            body_en="<p>“With rhowelfare Stripes chose to be there from the very first day, beside people, as "
                    "it is every day in its services” — Dafne Guida, President of Stripes.</p><p>Services "
                    "include online yoga and storytelling, breastfeeding advice for new parents and "
                    "babysitting support.</p>",
            figures=[("14/04/2020", "avvio della piattaforma", "platform launch")],
            tags=["welfare territoriale", "educazione digitale", "genitorialità"],
        ),
        Study(
            slug="napoliwelfare", title="napoliwelfare: la piattaforma del Consorzio Proodos",
            title_en="napoliwelfare: Consorzio Proodos's platform",
            summary="Servizi di welfare per bambini, anziani, famiglie, adulti e persone con disabilità a "
                    "Napoli, con il consorzio Proodos e i suoi soci.",
            summary_en="Welfare services for children, elderly people, families, adults and people with "
                       "disabilities in Napoli, with Consorzio Proodos and its members.",
            territory="Napoli", area="socio-sanitario", sector="elderly", cooperatives=["Consorzio Proodos"],
            challenge="<p>Nuovi modelli di protezione sociale per una città in cui la didattica a distanza, "
                      "lo smart working e la solitudine degli anziani hanno reso difficile la quotidianità.</p>",
            approach="<p>Dopo Biella, Matera, Sondrio e Rho, la piattaforma napoliwelfare propone caccia al "
                     "tesoro virtuale e tutoring online, assistenza domiciliare ad anziani e disabili, supporto "
                     "psicologico a caregiver, genitori e lavoratori, mediazione familiare.</p>",
            results="<p>Uno strumento intuitivo con un paniere di servizi mirati «a non lasciare indietro "
                    "nessuno», con qualità certificata e prezzi calmierati.</p>",
            body="<p>«Con napoliwelfare proponiamo uno strumento intuitivo ed efficace con un paniere di "
                 "servizi mirati a non lasciare indietro nessuno e ad aprire ampi spazi di partecipazione» — "
                 "Mario Sicignano, Presidente Consorzio Proodos.</p>",
            results_en="<p>An easy tool with a basket of services meant to “leave nobody behind”, certified "
                       "quality and capped prices.</p>",
            challenge_en="<p>New models of social protection for a city where distance learning, remote "
                         "working and the loneliness of elderly people made everyday life hard.</p>",
            approach_en="<p>After Biella, Matera, Sondrio and Rho, the napoliwelfare platform offers virtual "
                        "treasure hunts and online tutoring, home care for elderly and disabled people, "
                        "psychological support for caregivers, parents and workers, and family mediation.</p>",
            body_en="<p>“With napoliwelfare we offer an easy, effective tool with services meant to leave "
                    "nobody behind and open room for participation” — Mario Sicignano, President of "
                    "Consorzio Proodos.</p>",
            figures=[("5", "fasce di popolazione servite", "population groups served")],
            tags=["welfare territoriale", "domiciliarità", "caregiver"],
        ),
        Study(
            slug="welfarex-milano-abbazia-chiaravalle",
            title="WelfareX a Milano: biglietti per l'Abbazia di Chiaravalle",
            title_en="WelfareX in Milano: tickets for the Abbazia di Chiaravalle",
            summary="Una piattaforma di welfare che vende anche i biglietti per un sito culturale, e presto i "
                    "servizi per l'età evolutiva.",
            summary_en="A welfare platform that also sells tickets for a cultural site, and soon services for "
                       "children and teenagers.",
            territory="Milano", area="cultura-rigenerazione", sector="culture", cooperatives=[],
            challenge="<p>Rendere sostenibile un bene culturale e allargare il pubblico dei servizi della "
                      "rete oltre l'utenza tradizionale.</p>",
            approach="<p>Attraverso WelfareX, la piattaforma di CgMoving, a Milano si vendono i biglietti per "
                     "l'Abbazia di Chiaravalle: la cultura come attività produttiva a traino dell'impresa "
                     "sociale.</p>",
            results="<p>Un canale di vendita unico per cultura e welfare, che prepara l'offerta dei servizi "
                    "sull'età evolutiva.</p>",
            body="<p>La cultura anima le strategie delle imprese sociali in quattro ambiti: rigenerazione di "
                 "beni, produzione culturale e gestione di beni culturali, welfare culturale, attività "
                 "produttive a traino cultura.</p>",
            results_en="<p>One sales channel for culture and welfare, preparing services for children and "
                       "teenagers.</p>",
            challenge_en="<p>Make a cultural site sustainable and widen the audience of the network's services "
                         "beyond their traditional users.</p>",
            approach_en="<p>Through WelfareX, CgMoving's platform, tickets for the Abbazia di Chiaravalle are "
                        "sold in Milano: culture as a productive activity driving social enterprise.</p>",
            body_en="<p>Culture drives social enterprises' strategies in four ways: regenerating places, "
                    "cultural production, cultural welfare, and culture-led productive activities.</p>",
            figures=[("4", "ambiti d'innesto della cultura", "ways culture enters social enterprise")],
            tags=["WelfareX", "welfare culturale", "biglietteria"],
        ),
        Study(
            slug="experience-the-change-cremona", title="Experience the Change: il percorso digitale a Cremona",
            title_en="Experience the Change: the digital path in Cremona",
            summary="Consorzio Solco Cremona, Mestieri Cremona e le cooperative Gruppo Gamma, Nazareth e Cosper "
                    "ripensano i servizi in funzione digitale con WelfareX.",
            summary_en="Consorzio Solco Cremona, Mestieri Cremona and the cooperatives Gruppo Gamma, Nazareth "
                       "and Cosper rethink their services digitally with WelfareX.",
            territory="Cremona", area="digitale", sector="digital",
            cooperatives=["Consorzio Solco Cremona", "Mestieri Cremona", "Cooperativa Gruppo Gamma",
                          "Cooperativa Nazareth", "Cooperativa Cosper"],
            challenge="<p>Innovare il welfare non è solo rendere visibili i servizi sul web: significa pensare "
                      "fuori dagli schemi su erogazione, sostenibilità, ruolo del fruitore e modelli di "
                      "business.</p>",
            approach="<p>Un incontro introduttivo a febbraio, tre eventi verticali (servizi per l'infanzia, "
                     "anziani e disabilità) e un evento strategico conclusivo a Milano, con Social Seed, "
                     "Collaboriamo e CgMoving. Hanno partecipato non solo i referenti di piattaforma ma i "
                     "coordinatori dei servizi.</p>",
            results="<p>Strumenti e processi per rinnovare il sistema di offerta; team digitali e nuove "
                    "competenze capaci di incrociare partner e anticipare trend, anche nella "
                    "co-programmazione con la Pubblica Amministrazione.</p>",
            body="<p>«All'inizio abbiamo rilevato una sorta di terremoto emotivo: abbiamo chiesto ai "
                 "coordinatori di pensare o ripensare i servizi in funzione digitale» — Francesca Scarinci, "
                 "CgMoving.</p><p>«Rischiare di più e avere la forza del pensiero strategico anche quando non "
                 "si è in emergenza» — Francesca Battistoni, Social Seed.</p>",
            results_en="<p>Tools and processes to renew the service offer; digital teams and new skills able "
                       "to bring in partners and anticipate trends, including co-programming with public "
                       "bodies.</p>",
            challenge_en="<p>Innovating welfare is not just making services visible on the web: it means "
                         "thinking outside the box about delivery, sustainability, the user's role and business "
                         "models.</p>",
            approach_en="<p>An introductory meeting in February, three thematic events (childhood services, "
                        "elderly people and disability) and a closing strategic event in Milano, with Social "
                        "Seed, Collaboriamo and CgMoving. Not only the platform contacts took part, but the "
                        "service coordinators too.</p>",
            body_en="<p>“At first we saw a kind of emotional earthquake: we asked coordinators to think or "
                    "rethink their services digitally” — Francesca Scarinci, CgMoving.</p><p>“Take more risks "
                    "and think strategically even outside emergencies” — Francesca Battistoni, Social "
                    "Seed.</p>",
            figures=[("5", "incontri del percorso", "meetings in the path"),
                     ("3", "eventi verticali: infanzia, anziani, disabilità",
                      "thematic events: childhood, elderly, disability")],
            tags=["WelfareX", "trasformazione digitale", "co-programmazione"],
        ),
        Study(
            slug="comunita-energetiche-cer", title="Il progetto CER: comunità energetiche rinnovabili",
            title_en="The CER project: renewable energy communities",
            summary="Una filiera di produzione di pannelli, la formazione degli installatori e un modello di "
                    "ingaggio dei territori.",
            summary_en="A panel production chain, training installers and a model to engage the territories.",
            territory="Rete nazionale", territory_en="National network", area="sostenibilita", sector="energy", cooperatives=[],
            challenge="<p>Partecipare alla transizione energetica come sfida trasformativa, con capacità "
                      "cross-settore che le singole cooperative faticano a sostenere da sole.</p>",
            approach="<p>Il cantiere Sostenibilità sviluppa il progetto CER costruendo la filiera di "
                     "produzione dei pannelli e la formazione degli installatori, ed elabora un modello di "
                     "intervento e di ingaggio dei territori.</p>",
            results="<p>Un modello replicabile per i territori e nuove opportunità di lavoro per persone in "
                    "inserimento lavorativo.</p>",
            body="<p>Le Grand Challenges chiedono di passare dal presidiare temi di settore ad anticipare "
                 "sfide trasformative come il clima: una rete può sostenere ciò che per le singole realtà è "
                 "difficile.</p>",
            results_en="<p>A model the territories can replicate and new jobs for people in work "
                       "integration.</p>",
            challenge_en="<p>Take part in the energy transition as a transformative challenge, with "
                         "cross-sector capabilities that single cooperatives struggle to sustain alone.</p>",
            approach_en="<p>The Sustainability workstream develops the CER project by building the panel "
                        "production chain and training installers, and designs a model of intervention and of "
                        "engagement of the territories.</p>",
            body_en="<p>The Grand Challenges ask networks to move from guarding sectors to anticipating "
                    "transformative challenges such as climate.</p>",
            figures=[("3", "leve: filiera, installatori, territori", "levers: supply chain, installers, territories")],
            tags=["CER", "energia", "transizione"],
        ),
        Study(
            slug="cooperazione-digitale", title="Cooperazione Digitale: digitalizzare i processi gestionali",
            title_en="Cooperazione Digitale: digitalising management processes",
            summary="Il percorso sostenuto da Google.org: digitalizzare gestione, amministrazione e "
                    "rendicontazione per liberare tempo da dedicare alle persone.",
            summary_en="The path supported by Google.org: digitalising HR, administration and reporting to "
                       "free time for people.",
            territory="Rete nazionale", territory_en="National network", area="digitale", sector="digital", cooperatives=[],
            challenge="<p>Una gestione condotta con metodiche tradizionali espone a rischi, errori e rettifiche "
                      "e assorbe il tempo di amministratori e operatori.</p>",
            approach="<p>Accompagnamento delle progettazioni delle cooperative beneficiarie, con un approccio "
                     "partecipativo bottom up e un Digital Innovation Hub come punto di riferimento.</p>",
            results="<p>Approvato il 50% dei progetti presentati; outcome attesi: cultura della "
                    "digitalizzazione, trasformazione del management, sostenibilità economica, competenze dei "
                    "lavoratori, certificazione dei processi.</p>",
            body="<p>La digitalizzazione dei processi organizzativi (gestione delle risorse umane, "
                 "amministrazione e rendicontazione) libera il tempo di soci e dipendenti per attività più "
                 "utili socialmente.</p>",
            results_en="<p>50% of the projects submitted were approved; expected outcomes: digital culture, "
                       "management transformation, economic sustainability, staff skills, certified "
                       "processes.</p>",
            challenge_en="<p>Management run with traditional methods exposes the cooperative to risks, errors "
                         "and corrections, and absorbs the time of administrators and workers.</p>",
            approach_en="<p>Support for the projects of the beneficiary cooperatives, with a participatory "
                        "bottom-up approach and a Digital Innovation Hub as point of reference.</p>",
            body_en="<p>Digitalising organisational processes (HR, administration, reporting) frees members' "
                    "and employees' time for more socially useful work.</p>",
            figures=[("50%", "dei progetti presentati approvati", "of the projects submitted approved"),
                     ("6", "outcome attesi", "expected outcomes")],
            tags=["trasformazione digitale", "gestionali"], in_masterclass=False,
        ),
        Study(
            slug="servizi-educativi-0-6-continuita",
            title="Servizi educativi 0–6: la continuità educativa oltre il bonus baby-sitting",
            title_en="Early-years services 0–6: educational continuity beyond the babysitting bonus",
            summary="Servizi ibridi dalla casa ai nidi, in convenzione con il privato sociale autorizzato.",
            summary_en="Hybrid services from home to nurseries, in agreement with authorised social enterprises.",
            territory="Rete nazionale", territory_en="National network", area="educazione", sector="childhood", cooperatives=[],
            challenge="<p>Il bonus baby-sitting non tutela il superiore interesse dei bambini e svilisce la "
                      "professionalità degli operatori socio-educativi di nidi e scuole dell'infanzia.</p>",
            approach="<p>Soluzioni flessibili: servizi ibridi che si muovono in un continuum dalla casa ai luoghi "
                     "comunitari, piccoli gruppi, fasce orarie differenziate, risorse outdoor mappate.</p>",
            results="<p>Una proposta di riforma 0/6 con un plafond dedicato delle risorse oggi parcellizzate tra "
                    "nidi, sezioni primavera e scuole paritarie.</p>",
            body="<p>«Sono i servizi che vanno adattati alla vita e non viceversa» — Giuseppe Bruno, "
                 "Presidente Gruppo Cooperativo CGM.</p>",
            results_en="<p>A reform proposal for 0–6 services pooling resources now scattered between "
                       "nurseries, spring sections and private schools.</p>",
            challenge_en="<p>The babysitting bonus does not protect the best interest of children and "
                         "undervalues the professionalism of the socio-educational staff of nurseries and "
                         "pre-schools.</p>",
            approach_en="<p>Flexible solutions: hybrid services moving along a continuum from the home to "
                        "community places, small groups, staggered hours, mapped outdoor resources.</p>",
            body_en="<p>“Services must adapt to life, not the other way round” — Giuseppe Bruno, President of "
                    "the CGM cooperative group.</p>",
            figures=[("0–6", "anni: una filiera educativa unica", "years: one educational chain")],
            tags=["infanzia", "nidi", "continuità educativa"],
        ),
    ]
