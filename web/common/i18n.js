// The web app's words in NL, EN, DE and FR. Pure: no DOM. Figures are never translated
// (common/figures.js makes them, with a '.' decimal point as on the SDL screen).
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.StoreqI18n = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  const texts = {
    en: {
      'weekday.0': 'Mon', 'weekday.1': 'Tue', 'weekday.2': 'Wed', 'weekday.3': 'Thu', 'weekday.4': 'Fri', 'weekday.5': 'Sat', 'weekday.6': 'Sun',
      'tile.responses': 'Responses', 'tile.happy_index': 'Happy Index', 'tile.nps': 'NPS', 'tile.compliance': 'One in Front',
      'tile.times': 'Claim / open', 'tile.promise': 'Promise kept',
      'tile.compare': 'last {day}: {value}', 'tile.compare_none': 'last {day}: no data',
      'tile.misuse': '{n} misuse presses', 'tile.misuse_note': '(in no score)', 'tile.answers': 'n {n} answers',
      'tile.happy_scale': '0 worst, 100 best', 'tile.nps_ci': '95% CI {low}..{high}', 'tile.nps_none': 'no 0-10 answers',
      'tile.nps_thin': ': THIN, n < 30', 'tile.breach': '{min} min in breach', 'tile.counted': 'of {min} (lane-min)',
      'tile.prompts_done': '{done} of {raised} prompts done', 'tile.s_open': ' s open', 'tile.kept_broken': '{kept} kept, {broken} broken',
      'tile.promise_note': 'breaches ended in time',
      'dash.bad_document': 'this figure document cannot be read', 
      'dash.title': 'Store dashboard', 'dash.today': 'Today, {day} {date}', 'dash.today_plain': 'Today', 'dash.updated': 'figures of {time}',
      'dash.waiting': 'waiting for data: the controller publishes its figures once a minute',
      'panel.timeline': 'Today by hour: how shoppers felt, and queue breaches', 'panel.breach_bars': 'breach minutes (bars)',
      'panel.trend': 'Last 28 days against the 28 before', 'panel.lanes': 'Lanes today (queue: people; breach: min)',
      'panel.reasons': 'Top reasons today', 'panel.prompts': 'Live prompts',
      'trend.now': 'last 28 days', 'trend.before': 'before', 'trend.responses': 'Responses', 'trend.happy_index': 'Happy Index', 'trend.nps': 'NPS',
      'trend.compliance_pct': 'One in Front', 'trend.breach_min': 'Breach minutes', 'trend.promise_kept_pct': 'Promise kept',
      'trend.no_days': 'no days with figures yet',
      'lanes.till': 'till', 'lanes.now': 'now', 'lanes.open_min': 'open min', 'lanes.avg': 'avg q', 'lanes.max': 'max q', 'lanes.breach': 'breach',
      'lanes.compliance': '1-in-Front', 'lanes.name': 'Till {lane}', 'lanes.closed': 'closed', 'lanes.open_no_count': 'open, no count',
      'lanes.open_count': 'open, {n} in line', 'lanes.none': 'no lanes yet',
      'reasons.positive': 'What went well', 'reasons.negative': 'What to improve', 'reasons.none': 'none given',
      'prompts.none': 'No live prompts', 'prompts.none_detail': 'the tills are keeping up', 'prompts.claimed_by': 'claimed by {who}',
      'prompts.unclaimed': 'not claimed yet', 'prompts.escalated': 'escalated, {detail}',
      // The kiosk's reason texts (assets/kiosk/lang/en.json; tests/web/figures_test.js keeps them equal).
      'reason.staff': "Friendly staff", 'reason.speed': "Quick checkout", 'reason.clean': "Clean store", 'reason.prices': "Prices", 'reason.range': "Products", 'reason.fresh': "Fresh food", 'reason.queue': "Waiting time", 'reason.stock': "Out of stock", 'reason.unfriendly': "Staff", 'reason.dirty': "Cleanliness", 'reason.expensive': "Prices", 'reason.other': "Something else",
      'prompt.prepare_till': 'Get ready: till {till} soon', 'panel.tills': 'tills', 'panel.forecast': 'tills needed {now}, in 15 min {in15}, 30 min {in30}', 'staff.standdown_forecast': 'The forecast no longer needs this till. Back to other work.',
      'prompt.open_till': 'Please open till {till}', 'prompt.balance': 'Till {till} is free', 'prompt.close_till': 'Till {till} can close',
      'prompt.all_tills_open': 'All tills are open',
      'link.elsewhere': 'is {who} open on another device?', 
      'link.live': 'live', 'link.connecting': 'connecting…', 'link.offline_since': 'offline since {time}: figures may be old',
      'link.controller_offline': 'controller offline: figures may be old', 'link.storage_failing': 'The store database cannot take writes',
      'login.title': 'Log in', 'login.user': 'Account', 'login.password': 'Password', 'login.submit': 'Log in',
      'login.failed': 'Login refused: wrong account or password', 'login.unreachable': 'The store broker cannot be reached',
      'login.note': 'Use the account your store gave you. Nothing is saved on this device.', 'logout': 'Log out',
      'staff.title': 'Calls', 'staff.none': 'No calls', 'staff.none_detail': 'This page lights up when a till needs opening.',
      'staff.claim': "I'll open it", 'staff.sent': 'Claim sent…', 'staff.mine': 'On my way: you took this', 'staff.taken': 'Taken by {who}',
      'staff.escalated': 'Escalated to a supervisor', 'staff.refused': 'Refused by the store broker: account {who} may not claim prompts',
      'staff.standdown_mine': 'Stand down: you can go back', 'staff.standdown': 'Stand down: till {till} not needed',
      'staff.standdown_detail': 'The queue cleared before the till opened. Back to other work.', 'staff.dismiss': 'OK',
      'staff.sound': 'Sound on', 'staff.wait': 'till {lane}: {n} waiting, about {min} min',
      'chain.title': 'Chain', 'chain.today': 'Today', 'chain.28d': '28 days', 'chain.by_store': 'Stores', 'chain.by_region': 'Regions',
      'chain.rank': '#', 'chain.store': 'store', 'chain.region': 'region', 'chain.compliance': 'One in Front', 'chain.happy': 'Happy Index',
      'chain.nps': 'NPS (95% CI)', 'chain.promise': 'Promise kept', 'chain.change': 'change', 'chain.waiting': 'waiting for the chain documents',
      'chain.generated': 'figures of {date}, {from} to {to}', 'chain.all': 'whole chain', 'chain.store_detail': 'Store {store}', 'chain.close': 'Close',
    },
    nl: {
      'weekday.0': 'ma', 'weekday.1': 'di', 'weekday.2': 'wo', 'weekday.3': 'do', 'weekday.4': 'vr', 'weekday.5': 'za', 'weekday.6': 'zo',
      'tile.responses': 'Reacties', 'tile.happy_index': 'Happy Index', 'tile.nps': 'NPS', 'tile.compliance': 'One in Front',
      'tile.times': 'Claim / open', 'tile.promise': 'Belofte gehouden',
      'tile.compare': 'vorige {day}: {value}', 'tile.compare_none': 'vorige {day}: geen data',
      'tile.misuse': '{n} keer misbruik', 'tile.misuse_note': '(telt niet mee)', 'tile.answers': 'n {n} antwoorden',
      'tile.happy_scale': '0 slechtst, 100 best', 'tile.nps_ci': '95%-BI {low}..{high}', 'tile.nps_none': 'geen 0-10 antwoorden',
      'tile.nps_thin': ': DUN, n < 30', 'tile.breach': '{min} min overschreden', 'tile.counted': 'van {min} (kassa-min)',
      'tile.prompts_done': '{done} van {raised} oproepen klaar', 'tile.s_open': ' s open', 'tile.kept_broken': '{kept} gehouden, {broken} gebroken',
      'tile.promise_note': 'overschrijdingen op tijd opgelost',
      'dash.bad_document': 'dit cijferdocument is onleesbaar', 
      'dash.title': 'Winkeldashboard', 'dash.today': 'Vandaag, {day} {date}', 'dash.today_plain': 'Vandaag', 'dash.updated': 'cijfers van {time}',
      'dash.waiting': 'wacht op data: de controller publiceert elke minuut',
      'panel.timeline': 'Vandaag per uur: hoe klanten zich voelden, en wachtrij-overschrijdingen', 'panel.breach_bars': 'minuten overschreden (staven)',
      'panel.trend': 'Laatste 28 dagen tegen de 28 ervoor', 'panel.lanes': 'Kassa\'s vandaag (rij: personen; overschr.: min)',
      'panel.reasons': 'Belangrijkste redenen vandaag', 'panel.prompts': 'Actuele oproepen',
      'trend.now': 'laatste 28 dagen', 'trend.before': 'ervoor', 'trend.responses': 'Reacties', 'trend.happy_index': 'Happy Index', 'trend.nps': 'NPS',
      'trend.compliance_pct': 'One in Front', 'trend.breach_min': 'Minuten overschreden', 'trend.promise_kept_pct': 'Belofte gehouden',
      'trend.no_days': 'nog geen dagen met cijfers',
      'lanes.till': 'kassa', 'lanes.now': 'nu', 'lanes.open_min': 'open min', 'lanes.avg': 'gem. rij', 'lanes.max': 'max rij', 'lanes.breach': 'overschr.',
      'lanes.compliance': '1-in-Front', 'lanes.name': 'Kassa {lane}', 'lanes.closed': 'dicht', 'lanes.open_no_count': 'open, geen telling',
      'lanes.open_count': 'open, {n} in de rij', 'lanes.none': 'nog geen kassa\'s',
      'reasons.positive': 'Wat goed ging', 'reasons.negative': 'Wat beter kan', 'reasons.none': 'geen gegeven',
      'prompts.none': 'Geen actuele oproepen', 'prompts.none_detail': 'de kassa\'s houden het bij', 'prompts.claimed_by': 'geclaimd door {who}',
      'prompts.unclaimed': 'nog niet geclaimd', 'prompts.escalated': 'geëscaleerd, {detail}',
      // The kiosk's reason texts (assets/kiosk/lang/nl.json; tests/web/figures_test.js keeps them equal).
      'reason.staff': "Vriendelijk personeel", 'reason.speed': "Snel afrekenen", 'reason.clean': "Schone winkel", 'reason.prices': "Prijzen", 'reason.range': "Assortiment", 'reason.fresh': "Vers eten", 'reason.queue': "Wachttijd", 'reason.stock': "Niet op voorraad", 'reason.unfriendly': "Personeel", 'reason.dirty': "Netheid", 'reason.expensive': "Prijzen", 'reason.other': "Iets anders",
      'prompt.prepare_till': 'Maak je klaar: straks kassa {till}', 'panel.tills': 'kassa\'s', 'panel.forecast': 'kassa\'s nodig {now}, over 15 min {in15}, 30 min {in30}', 'staff.standdown_forecast': 'De voorspelling heeft deze kassa niet meer nodig. Terug naar ander werk.',
      'prompt.open_till': 'Open kassa {till}', 'prompt.balance': 'Kassa {till} is vrij', 'prompt.close_till': 'Kassa {till} kan dicht',
      'prompt.all_tills_open': 'Alle kassa\'s zijn open',
      'link.elsewhere': 'is {who} open op een ander apparaat?', 
      'link.live': 'live', 'link.connecting': 'verbinden…', 'link.offline_since': 'offline sinds {time}: cijfers kunnen oud zijn',
      'link.controller_offline': 'controller offline: cijfers kunnen oud zijn', 'link.storage_failing': 'De winkeldatabase kan niet schrijven',
      'login.title': 'Inloggen', 'login.user': 'Account', 'login.password': 'Wachtwoord', 'login.submit': 'Inloggen',
      'login.failed': 'Inloggen geweigerd: verkeerd account of wachtwoord', 'login.unreachable': 'De winkelbroker is niet bereikbaar',
      'login.note': 'Gebruik het account van je winkel. Er wordt niets op dit apparaat bewaard.', 'logout': 'Uitloggen',
      'staff.title': 'Oproepen', 'staff.none': 'Geen oproepen', 'staff.none_detail': 'Deze pagina licht op als er een kassa open moet.',
      'staff.claim': 'Ik open hem', 'staff.sent': 'Claim verstuurd…', 'staff.mine': 'Onderweg: jij doet dit', 'staff.taken': 'Opgepakt door {who}',
      'staff.escalated': 'Geëscaleerd naar een leidinggevende', 'staff.refused': 'Geweigerd door de winkelbroker: account {who} mag geen oproepen claimen',
      'staff.standdown_mine': 'Niet meer nodig: je kunt terug', 'staff.standdown': 'Niet meer nodig: kassa {till}',
      'staff.standdown_detail': 'De rij was weg voordat de kassa openging. Terug naar ander werk.', 'staff.dismiss': 'OK',
      'staff.sound': 'Geluid aan', 'staff.wait': 'kassa {lane}: {n} wachtend, ongeveer {min} min',
      'chain.title': 'Keten', 'chain.today': 'Vandaag', 'chain.28d': '28 dagen', 'chain.by_store': 'Winkels', 'chain.by_region': 'Regio\'s',
      'chain.rank': '#', 'chain.store': 'winkel', 'chain.region': 'regio', 'chain.compliance': 'One in Front', 'chain.happy': 'Happy Index',
      'chain.nps': 'NPS (95%-BI)', 'chain.promise': 'Belofte gehouden', 'chain.change': 'verschil', 'chain.waiting': 'wacht op de ketendocumenten',
      'chain.generated': 'cijfers van {date}, {from} tot {to}', 'chain.all': 'hele keten', 'chain.store_detail': 'Winkel {store}', 'chain.close': 'Sluiten',
    },
    de: {
      'weekday.0': 'Mo', 'weekday.1': 'Di', 'weekday.2': 'Mi', 'weekday.3': 'Do', 'weekday.4': 'Fr', 'weekday.5': 'Sa', 'weekday.6': 'So',
      'tile.responses': 'Antworten', 'tile.happy_index': 'Happy Index', 'tile.nps': 'NPS', 'tile.compliance': 'One in Front',
      'tile.times': 'Annahme / Öffnung', 'tile.promise': 'Versprechen gehalten',
      'tile.compare': 'letzten {day}: {value}', 'tile.compare_none': 'letzten {day}: keine Daten',
      'tile.misuse': '{n} Fehldrücke', 'tile.misuse_note': '(in keinem Wert)', 'tile.answers': 'n {n} Antworten',
      'tile.happy_scale': '0 schlecht, 100 bestens', 'tile.nps_ci': '95%-KI {low}..{high}', 'tile.nps_none': 'keine 0-10-Antworten',
      'tile.nps_thin': ': DÜNN, n < 30', 'tile.breach': '{min} Min. überschritten', 'tile.counted': 'von {min} (Kassen-Min.)',
      'tile.prompts_done': '{done} von {raised} Aufrufen erledigt', 'tile.s_open': ' s Öffnung', 'tile.kept_broken': '{kept} gehalten, {broken} gebrochen',
      'tile.promise_note': 'Überschreitungen rechtzeitig beendet',
      'dash.bad_document': 'dieses Zahlendokument ist nicht lesbar', 
      'dash.title': 'Filial-Dashboard', 'dash.today': 'Heute, {day} {date}', 'dash.today_plain': 'Heute', 'dash.updated': 'Zahlen von {time}',
      'dash.waiting': 'warte auf Daten: der Controller veröffentlicht jede Minute',
      'panel.timeline': 'Heute nach Stunden: Kundenstimmung und Warteschlangen-Überschreitungen', 'panel.breach_bars': 'Minuten überschritten (Balken)',
      'panel.trend': 'Letzte 28 Tage gegen die 28 davor', 'panel.lanes': 'Kassen heute (Schlange: Personen; Überschr.: Min.)',
      'panel.reasons': 'Häufigste Gründe heute', 'panel.prompts': 'Aktuelle Aufrufe',
      'trend.now': 'letzte 28 Tage', 'trend.before': 'davor', 'trend.responses': 'Antworten', 'trend.happy_index': 'Happy Index', 'trend.nps': 'NPS',
      'trend.compliance_pct': 'One in Front', 'trend.breach_min': 'Minuten überschritten', 'trend.promise_kept_pct': 'Versprechen gehalten',
      'trend.no_days': 'noch keine Tage mit Zahlen',
      'lanes.till': 'Kasse', 'lanes.now': 'jetzt', 'lanes.open_min': 'offen Min.', 'lanes.avg': 'Ø Schl.', 'lanes.max': 'max Schl.', 'lanes.breach': 'Überschr.',
      'lanes.compliance': '1-in-Front', 'lanes.name': 'Kasse {lane}', 'lanes.closed': 'zu', 'lanes.open_no_count': 'offen, keine Zählung',
      'lanes.open_count': 'offen, {n} in der Schlange', 'lanes.none': 'noch keine Kassen',
      'reasons.positive': 'Was gut lief', 'reasons.negative': 'Was besser geht', 'reasons.none': 'keine genannt',
      'prompts.none': 'Keine aktuellen Aufrufe', 'prompts.none_detail': 'die Kassen kommen nach', 'prompts.claimed_by': 'angenommen von {who}',
      'prompts.unclaimed': 'noch nicht angenommen', 'prompts.escalated': 'eskaliert, {detail}',
      // The kiosk's reason texts (assets/kiosk/lang/de.json; tests/web/figures_test.js keeps them equal).
      'reason.staff': "Freundliches Personal", 'reason.speed': "Schnelle Kasse", 'reason.clean': "Sauberer Laden", 'reason.prices': "Preise", 'reason.range': "Sortiment", 'reason.fresh': "Frische Ware", 'reason.queue': "Wartezeit", 'reason.stock': "Nicht vorrätig", 'reason.unfriendly': "Personal", 'reason.dirty': "Sauberkeit", 'reason.expensive': "Preise", 'reason.other': "Etwas anderes",
      'prompt.prepare_till': 'Bereit machen: bald Kasse {till}', 'panel.tills': 'Kassen', 'panel.forecast': 'Kassen nötig {now}, in 15 Min. {in15}, 30 Min. {in30}', 'staff.standdown_forecast': 'Die Prognose braucht diese Kasse nicht mehr. Zurück an die Arbeit.',
      'prompt.open_till': 'Bitte Kasse {till} öffnen', 'prompt.balance': 'Kasse {till} ist frei', 'prompt.close_till': 'Kasse {till} kann schließen',
      'prompt.all_tills_open': 'Alle Kassen sind offen',
      'link.elsewhere': 'ist {who} auf einem anderen Gerät offen?', 
      'link.live': 'live', 'link.connecting': 'verbinde…', 'link.offline_since': 'offline seit {time}: Zahlen evtl. veraltet',
      'link.controller_offline': 'Controller offline: Zahlen evtl. veraltet', 'link.storage_failing': 'Die Filialdatenbank kann nicht schreiben',
      'login.title': 'Anmelden', 'login.user': 'Konto', 'login.password': 'Passwort', 'login.submit': 'Anmelden',
      'login.failed': 'Anmeldung abgelehnt: falsches Konto oder Passwort', 'login.unreachable': 'Der Filial-Broker ist nicht erreichbar',
      'login.note': 'Nutzen Sie das Konto Ihrer Filiale. Auf diesem Gerät wird nichts gespeichert.', 'logout': 'Abmelden',
      'staff.title': 'Aufrufe', 'staff.none': 'Keine Aufrufe', 'staff.none_detail': 'Diese Seite leuchtet auf, wenn eine Kasse öffnen soll.',
      'staff.claim': 'Ich öffne sie', 'staff.sent': 'Annahme gesendet…', 'staff.mine': 'Unterwegs: Sie übernehmen das', 'staff.taken': 'Übernommen von {who}',
      'staff.escalated': 'An eine Aufsicht eskaliert', 'staff.refused': 'Vom Filial-Broker abgelehnt: Konto {who} darf keine Aufrufe annehmen',
      'staff.standdown_mine': 'Entwarnung: Sie können zurück', 'staff.standdown': 'Entwarnung: Kasse {till} nicht nötig',
      'staff.standdown_detail': 'Die Schlange war weg, bevor die Kasse öffnete. Zurück an die Arbeit.', 'staff.dismiss': 'OK',
      'staff.sound': 'Ton an', 'staff.wait': 'Kasse {lane}: {n} warten, etwa {min} Min.',
      'chain.title': 'Kette', 'chain.today': 'Heute', 'chain.28d': '28 Tage', 'chain.by_store': 'Filialen', 'chain.by_region': 'Regionen',
      'chain.rank': '#', 'chain.store': 'Filiale', 'chain.region': 'Region', 'chain.compliance': 'One in Front', 'chain.happy': 'Happy Index',
      'chain.nps': 'NPS (95%-KI)', 'chain.promise': 'Versprechen gehalten', 'chain.change': 'Änderung', 'chain.waiting': 'warte auf die Kettendokumente',
      'chain.generated': 'Zahlen vom {date}, {from} bis {to}', 'chain.all': 'ganze Kette', 'chain.store_detail': 'Filiale {store}', 'chain.close': 'Schließen',
    },
    fr: {
      'weekday.0': 'lun.', 'weekday.1': 'mar.', 'weekday.2': 'mer.', 'weekday.3': 'jeu.', 'weekday.4': 'ven.', 'weekday.5': 'sam.', 'weekday.6': 'dim.',
      'tile.responses': 'Réponses', 'tile.happy_index': 'Happy Index', 'tile.nps': 'NPS', 'tile.compliance': 'One in Front',
      'tile.times': 'Prise / ouverture', 'tile.promise': 'Promesse tenue',
      'tile.compare': '{day} dernier : {value}', 'tile.compare_none': '{day} dernier : pas de données',
      'tile.misuse': '{n} appuis abusifs', 'tile.misuse_note': '(hors score)', 'tile.answers': 'n {n} réponses',
      'tile.happy_scale': '0 pire, 100 meilleur', 'tile.nps_ci': 'IC 95 % {low}..{high}', 'tile.nps_none': 'aucune réponse 0-10',
      'tile.nps_thin': ' : FAIBLE, n < 30', 'tile.breach': '{min} min en dépassement', 'tile.counted': 'sur {min} (min-caisse)',
      'tile.prompts_done': '{done} sur {raised} appels traités', 'tile.s_open': ' s ouverture', 'tile.kept_broken': '{kept} tenues, {broken} manquées',
      'tile.promise_note': 'dépassements résolus à temps',
      'dash.bad_document': 'ce document de chiffres est illisible', 
      'dash.title': 'Tableau de bord du magasin', 'dash.today': 'Aujourd\'hui, {day} {date}', 'dash.today_plain': 'Aujourd\'hui', 'dash.updated': 'chiffres de {time}',
      'dash.waiting': 'en attente : le contrôleur publie ses chiffres chaque minute',
      'panel.timeline': 'Aujourd\'hui par heure : ressenti des clients et dépassements de file', 'panel.breach_bars': 'minutes de dépassement (barres)',
      'panel.trend': '28 derniers jours contre les 28 d\'avant', 'panel.lanes': 'Caisses aujourd\'hui (file : personnes ; dépass. : min)',
      'panel.reasons': 'Principales raisons aujourd\'hui', 'panel.prompts': 'Appels en cours',
      'trend.now': '28 derniers jours', 'trend.before': 'avant', 'trend.responses': 'Réponses', 'trend.happy_index': 'Happy Index', 'trend.nps': 'NPS',
      'trend.compliance_pct': 'One in Front', 'trend.breach_min': 'Minutes de dépassement', 'trend.promise_kept_pct': 'Promesse tenue',
      'trend.no_days': 'pas encore de jours chiffrés',
      'lanes.till': 'caisse', 'lanes.now': 'maintenant', 'lanes.open_min': 'min ouv.', 'lanes.avg': 'file moy.', 'lanes.max': 'file max', 'lanes.breach': 'dépass.',
      'lanes.compliance': '1-in-Front', 'lanes.name': 'Caisse {lane}', 'lanes.closed': 'fermée', 'lanes.open_no_count': 'ouverte, sans comptage',
      'lanes.open_count': 'ouverte, {n} en file', 'lanes.none': 'pas encore de caisses',
      'reasons.positive': 'Ce qui a plu', 'reasons.negative': 'À améliorer', 'reasons.none': 'aucune donnée',
      'prompts.none': 'Aucun appel en cours', 'prompts.none_detail': 'les caisses suivent', 'prompts.claimed_by': 'pris par {who}',
      'prompts.unclaimed': 'pas encore pris', 'prompts.escalated': 'escaladé, {detail}',
      // The kiosk's reason texts (assets/kiosk/lang/fr.json; tests/web/figures_test.js keeps them equal).
      'reason.staff': "Personnel aimable", 'reason.speed': "Passage en caisse rapide", 'reason.clean': "Magasin propre", 'reason.prices': "Prix", 'reason.range': "Choix de produits", 'reason.fresh': "Produits frais", 'reason.queue': "Temps d'attente", 'reason.stock': "Rupture de stock", 'reason.unfriendly': "Personnel", 'reason.dirty': "Propreté", 'reason.expensive': "Prix", 'reason.other': "Autre chose",
      'prompt.prepare_till': 'Préparez-vous : caisse {till} bientôt', 'panel.tills': 'caisses', 'panel.forecast': 'caisses nécessaires {now}, dans 15 min {in15}, 30 min {in30}', 'staff.standdown_forecast': 'La prévision n\'a plus besoin de cette caisse. Retour aux autres tâches.',
      'prompt.open_till': 'Ouvrez la caisse {till}', 'prompt.balance': 'La caisse {till} est libre', 'prompt.close_till': 'La caisse {till} peut fermer',
      'prompt.all_tills_open': 'Toutes les caisses sont ouvertes',
      'link.elsewhere': '{who} est-il ouvert sur un autre appareil ?', 
      'link.live': 'en direct', 'link.connecting': 'connexion…', 'link.offline_since': 'hors ligne depuis {time} : chiffres peut-être anciens',
      'link.controller_offline': 'contrôleur hors ligne : chiffres peut-être anciens', 'link.storage_failing': 'La base du magasin ne peut plus écrire',
      'login.title': 'Connexion', 'login.user': 'Compte', 'login.password': 'Mot de passe', 'login.submit': 'Se connecter',
      'login.failed': 'Connexion refusée : compte ou mot de passe incorrect', 'login.unreachable': 'Le broker du magasin est injoignable',
      'login.note': 'Utilisez le compte fourni par votre magasin. Rien n\'est enregistré sur cet appareil.', 'logout': 'Déconnexion',
      'staff.title': 'Appels', 'staff.none': 'Aucun appel', 'staff.none_detail': 'Cette page s\'allume quand une caisse doit ouvrir.',
      'staff.claim': 'Je l\'ouvre', 'staff.sent': 'Prise envoyée…', 'staff.mine': 'En route : c\'est pour vous', 'staff.taken': 'Pris par {who}',
      'staff.escalated': 'Escaladé à un responsable', 'staff.refused': 'Refusé par le broker du magasin : le compte {who} ne peut pas prendre d\'appel',
      'staff.standdown_mine': 'Annulé : vous pouvez revenir', 'staff.standdown': 'Annulé : caisse {till} inutile',
      'staff.standdown_detail': 'La file s\'est vidée avant l\'ouverture. Retour aux autres tâches.', 'staff.dismiss': 'OK',
      'staff.sound': 'Son activé', 'staff.wait': 'caisse {lane} : {n} en attente, environ {min} min',
      'chain.title': 'Enseigne', 'chain.today': 'Aujourd\'hui', 'chain.28d': '28 jours', 'chain.by_store': 'Magasins', 'chain.by_region': 'Régions',
      'chain.rank': '#', 'chain.store': 'magasin', 'chain.region': 'région', 'chain.compliance': 'One in Front', 'chain.happy': 'Happy Index',
      'chain.nps': 'NPS (IC 95 %)', 'chain.promise': 'Promesse tenue', 'chain.change': 'écart', 'chain.waiting': 'en attente des documents de l\'enseigne',
      'chain.generated': 'chiffres du {date}, du {from} au {to}', 'chain.all': 'toute l\'enseigne', 'chain.store_detail': 'Magasin {store}', 'chain.close': 'Fermer',
    },
  };

  const languages = ['nl', 'en', 'de', 'fr'];

  // The page's language: ?lang=, else the browser's first of ours, else English.
  function pick(query, browserLanguages) {
    if (query && languages.includes(query)) return query;
    for (const l of browserLanguages || []) {
      const base = String(l).slice(0, 2).toLowerCase();
      if (languages.includes(base)) return base;
    }
    return 'en';
  }

  // t(key, {name: value}): the language's text, else English, else the key itself.
  function translator(lang) {
    const table = texts[lang] || texts.en;
    return function t(key, params) {
      let text = table[key];
      if (text === undefined) text = texts.en[key];
      if (text === undefined) return key;
      if (params) text = text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
      return text;
    };
  }

  return { texts, languages, pick, translator };
});
