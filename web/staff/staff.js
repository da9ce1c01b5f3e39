// The staff page: the store's live prompts, "I'll open it" (a Claim as the logged-in
// account), the stand-down notice, level 2 alerts with "Acknowledge" (an AlertAnswer as
// the logged-in account), a beep and a buzz on a new call or alert where allowed.
(function () {
  'use strict';
  const I = self.StoreqI18n, D = self.StoreqDom, P = self.StoreqPanels, F = self.StoreqFigures;
  const { el, replace } = D;
  const store = D.param('store') || 'demo';
  const lang = I.pick(D.param('lang'), navigator.languages);
  const t = I.translator(lang);
  document.documentElement.lang = lang;
  const root = 'storeq/v1/' + store + '/';

  const prompts = new Map();      // live prompts by id
  const claims = new Map();       // id -> 'sent' | 'refused'
  // Level 2 alerts still open (docs/alerts.md): they leave once acknowledged or closed.
  const alerts = new Map();
  const acknowledgements = new Map();  // alert id -> 'sent' | 'refused' | 'offline'
  const standDowns = [];          // prompts cancelled while shown
  const waits = new Map();
  const seen = new Set();
  let account = '';
  let link = { live: false, text: '' };
  let audio = null;

  function alertNewCall() {
    try { if (navigator.vibrate) navigator.vibrate([200, 100, 200]); } catch (e) { /* not allowed */ }
    try {
      if (!audio) return;
      const osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = 880; gain.gain.value = 0.2;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + 0.25);
    } catch (e) { /* no sound here */ }
  }

  // A call somebody takes: open a till now, or soon (the forecast's prepare_till).
  function isJob(p) { return p.action === 'open_till' || p.action === 'prepare_till'; }

  function onMessage(topic, text) {
    const message = self.StoreqLive.readMessage(root, topic, text);
    if (!message) return;
    const { rest, doc } = message;
    let m;
    if ((m = /^prompts\/([0-9a-f-]{36})$/.exec(rest))) {
      const id = m[1];
      if (!doc) { prompts.delete(id); }
      else if (doc.state === 'cancelled') {
        if (prompts.has(id) && isJob(doc)) standDowns.unshift(doc);
        prompts.delete(id);
      } else if (doc.state === 'fulfilled' || doc.state === 'expired') prompts.delete(id);
      else {
        prompts.set(id, doc);
        if (!seen.has(id) && isJob(doc) && !doc.claimed_by) alertNewCall();
        seen.add(id);
      }
    } else if ((m = /^alerts\/([0-9a-f-]{36})$/.exec(rest))) {
      const id = m[1];
      if (!doc || doc.state !== 'open' || doc.level !== 2) { alerts.delete(id); acknowledgements.delete(id); }
      else {
        alerts.set(id, doc);
        if (!seen.has(id)) alertNewCall();
        seen.add(id);
      }
    } else if ((m = /^lane\/([0-9]{1,3})\/wait$/.exec(rest))) {
      if (doc && typeof doc.waiting === 'number') waits.set(m[1], doc); else waits.delete(m[1]);
    } else return;
    draw();
  }

  function claim(p) {
    claims.set(p.id, 'sent');
    draw();
    const body = JSON.stringify({ by: account, ts: Date.now(), device: account });
    live.publish(root + 'prompts/' + p.id + '/claim/' + account, body, (err) => {
      // MQTT 5: the broker answers a publish its ACL refuses with "Not authorized" (135).
      if (err) { claims.set(p.id, 'refused'); draw(); }
    });
  }

  function acknowledge(id) {
    acknowledgements.set(id, 'sent');
    draw();
    self.StoreqLive.answerAlert(live, root, account, id, 'acknowledge', '', (result) => {
      if (result === 'sent' || !acknowledgements.has(id)) return;
      acknowledgements.set(id, result);
      draw();
    });
  }

  function alertCard(a) {
    const view = F.makeAlertView(a, t);
    const sent = acknowledgements.get(a.id);
    let action;
    if (sent === 'refused') action = el('div', { class: 'state refused', role: 'alert', text: t('alerts.refused', { who: account }) });
    else if (sent === 'offline') action = el('div', { class: 'state refused', role: 'alert', text: t('alerts.offline') });
    else if (sent === 'sent') action = el('div', { class: 'state', text: t('alerts.sent_acknowledge') });
    else action = el('button', { class: 'big acknowledge', 'data-acknowledge': a.id, onclick: () => acknowledge(a.id), text: t('alerts.acknowledge') });
    return el('article', { class: 'call alert level-2 tone-' + view.tone, 'data-alert': a.id }, [
      el('p', { class: 'kind', text: t('staff.alert') }),
      el('h2', { text: view.title }),
      el('p', { text: view.detail }),
      action,
    ]);
  }

  function callCard(p) {
    const job = isJob(p);
    const sent = claims.get(p.id);
    let action;
    if (p.claimed_by) action = el('div', { class: 'state', text: p.claimed_by === account ? t('staff.mine') : t('staff.taken', { who: p.claimed_by }) });
    else if (sent === 'refused') action = el('div', { class: 'state refused', role: 'alert', text: t('staff.refused', { who: account }) });
    else if (sent === 'sent') action = el('div', { class: 'state', text: t('staff.sent') });
    else if (job) action = el('button', { class: 'big claim', 'data-claim': p.id, onclick: () => claim(p), text: t('staff.claim') });
    const message = p.message && (p.message[lang] || p.message.en);
    return el('article', { class: 'call level-' + p.level + (job ? '' : ' info'), 'data-prompt': p.id }, [
      el('h2', { text: P.promptTitle(p, t) }),
      message ? el('p', { text: message }) : null,
      p.level >= 2 && !p.claimed_by ? el('p', { class: 'tone-bad', text: t('staff.escalated') }) : null,
      action,
    ]);
  }

  function draw() {
    const linkEl = document.getElementById('link');
    linkEl.textContent = link.text;
    linkEl.className = 'link ' + (link.live ? 'live' : 'offline');
    document.getElementById('who').textContent = account + ' · ' + store;
    replace(document.getElementById('standdowns'), standDowns.slice(0, 3).map((s) => el('article', { class: 'call standdown', 'data-standdown': s.id }, [
      el('h2', { text: s.claimed_by === account ? t('staff.standdown_mine') : t('staff.standdown', { till: s.till }) }),
      el('p', { text: t(s.action === 'prepare_till' ? 'staff.standdown_forecast' : 'staff.standdown_detail') }),
      el('button', { class: 'big', onclick: () => { standDowns.splice(standDowns.indexOf(s), 1); draw(); }, text: t('staff.dismiss') }),
    ])));
    const list = [...prompts.values()].sort((a, b) => {
      const aj = isJob(a), bj = isJob(b);
      if (aj !== bj) return aj ? -1 : 1;
      return (b.level || 0) - (a.level || 0);
    });
    // Tills to open first, then the alerts (newest first), then the other notices.
    const jobs = list.filter(isJob), others = list.filter((p) => !isJob(p));
    const cards = [...jobs.map(callCard), ...F.makeAlerts(alerts.values(), t).map((v) => alertCard(alerts.get(v.id))), ...others.map(callCard)];
    replace(document.getElementById('calls'), cards.length ? cards
      : el('div', { class: 'empty' }, [el('p', { text: t('staff.none') }), el('p', { class: 'muted', text: t('staff.none_detail') })]));
    replace(document.getElementById('waits'), [...waits.values()].filter((w) => w.waiting > 0)
      .map((w) => el('li', { text: t('staff.wait', { lane: w.lane, n: w.waiting, min: w.minutes }) })));
  }

  document.getElementById('title').textContent = t('staff.title');
  P.languagePicker(document.getElementById('lang'), lang, I.languages);
  const live = self.StoreqLive.start({
    t, defaultUser: '',
    // The tap on "Log in" is the user gesture a browser wants before it plays sound.
    beforeConnect: () => { try { audio = audio || new AudioContext(); } catch (e) { audio = null; } },
    status: (username) => ({ topic: root + 'device/' + username + '/status', kind: 'staff' }),
    topics: () => [root + 'prompts/+', root + 'alerts/+', root + 'lane/+/wait'],
    onConnect: (username) => { account = username; prompts.clear(); alerts.clear(); },
    onMessage,
    onLink: (l) => { link = l; draw(); },
  });
  const logout = document.getElementById('logout');
  logout.textContent = t('logout');
  logout.addEventListener('click', () => live.logout());
})();
