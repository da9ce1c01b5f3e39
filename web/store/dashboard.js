// The store manager's dashboard: the retained stats/*, prompts/*, alerts/*, lane topics and
// the controller's status, rendered by the panels (store/panels/*.js) with common/figures.js.
// Alerts are answered (acknowledged, closed with a comment) as the logged-in account.
(function () {
  'use strict';
  const F = self.StoreqFigures, I = self.StoreqI18n, D = self.StoreqDom, P = self.StoreqPanels;
  const store = D.param('store') || 'demo';
  const lang = I.pick(D.param('lang'), navigator.languages);
  const t = I.translator(lang);
  document.documentElement.lang = lang;
  document.title = 'storeq: ' + t('dash.title') + ' ' + store;
  const root = 'storeq/v1/' + store + '/';

  const state = { today: null, hourly: null, daily: null, lanes: null, forecast: null, prompts: new Map(), alerts: new Map(), live: {},
    controller: null };
  // What became of this page's answer to an alert: {action, result: sent|refused|offline,
  // updated: the alert's `updated` when it was sent}. A sent one is forgotten as soon as the
  // controller publishes the alert again (acknowledged, or closed and gone).
  const answers = new Map();
  let account = '';
  let live = null;
  let link = { live: false, text: t('link.connecting') };

  // A retained document older than the one shown never replaces it (reconnects).
  function newer(old, doc) { return !old || !(typeof doc.ts === 'number' && typeof old.ts === 'number' && doc.ts < old.ts); }

  function onMessage(topic, text) {
    const message = self.StoreqLive.readMessage(root, topic, text);
    if (!message) return;
    const { rest, doc } = message;
    let m;
    if ((m = /^stats\/(today|hourly|daily|lanes)$/.exec(rest))) {
      if (doc && newer(state[m[1]], doc)) state[m[1]] = doc;
    } else if ((m = /^prompts\/([0-9a-f-]{36})$/.exec(rest))) {
      if (!doc || doc.state === 'fulfilled' || doc.state === 'cancelled' || doc.state === 'expired') state.prompts.delete(m[1]);
      else state.prompts.set(m[1], doc);
    } else if ((m = /^alerts\/([0-9a-f-]{36})$/.exec(rest))) {
      if (!doc || doc.state === 'closed') { state.alerts.delete(m[1]); answers.delete(m[1]); }
      else {
        state.alerts.set(m[1], doc);
        const answer = answers.get(m[1]);
        if (answer && answer.result === 'sent' && doc.updated !== answer.updated) answers.delete(m[1]);
      }
    } else if ((m = /^lane\/([0-9]{1,3})\/(state|queue)$/.exec(rest))) {
      const lane = (state.live[m[1]] = state.live[m[1]] || {});
      if (doc && m[2] === 'state' && typeof doc.open === 'boolean') lane.open = doc.open;
      if (doc && m[2] === 'queue' && typeof doc.count === 'number') lane.count = doc.count;
    } else if (rest === 'forecast') {
      if (doc && newer(state.forecast, doc)) state.forecast = doc;
    } else if (rest === 'device/controller/status') {
      state.controller = doc;
    } else return;
    render();
  }

  let pending = false;
  function render() {
    if (pending) return;
    pending = true;
    // A timer, not an animation frame: a page in a background tab gets no frames, and
    // would show old figures (and old "live") when it comes back until the next message.
    setTimeout(() => { pending = false; draw(); }, 0);
  }

  function draw() {
    const nps = F.useNps(state.today, state.daily);
    const offset = state.hourly && state.hourly.hours && state.hourly.hours.length
      ? F.utcOffsetMin(state.hourly.hours[state.hourly.hours.length - 1].period) : null;
    const title = document.getElementById('title');
    const updated = document.getElementById('updated');
    if (state.today) {
      const wd = F.weekdayIndex(state.today.date);
      title.textContent = t('dash.today', { day: wd === null ? '' : t('weekday.' + wd), date: state.today.date });
      updated.textContent = t('dash.updated', { time: F.clockText(state.today.ts, offset, true) });
      updated.dataset.ts = state.today.ts;
    } else {
      title.textContent = t('dash.today_plain');
      updated.textContent = t('dash.waiting');
    }
    const controllerOffline = state.controller && state.controller.online === false;
    const linkEl = document.getElementById('link');
    linkEl.textContent = link.live && controllerOffline ? t('link.controller_offline') : link.text;
    linkEl.className = 'link ' + (link.live && !controllerOffline ? 'live' : 'offline');
    document.body.classList.toggle('stale', !link.live);
    const banner = document.getElementById('banner');
    banner.hidden = !(state.controller && state.controller.online && state.controller.storage === 'failing');
    banner.textContent = t('link.storage_failing');

    // A document the panels cannot read says so in its panel; the others go on.
    const panel = (id, fn) => {
      const node = document.getElementById(id);
      try { fn(node); } catch (e) { D.replace(node, D.el('p', { class: 'error', text: t('dash.bad_document') })); }
    };
    panel('tiles', (n) => P.tiles(n, state.today ? F.makeKpis(state.today, t) : null, t));
    panel('queue-cost', (n) => P.queueCost(n, self.StoreqQueueCost.makeQueueCost(state.today, state.daily, nps, t)));
    panel('timeline', (n) => P.timeline(n, state.hourly ? F.addForecast(F.makeTimeline(state.hourly, nps), state.forecast) : null, t));
    panel('lanes', (n) => P.lanes(n, state.lanes ? F.makeLanes(state.lanes, state.live) : null, t));
    panel('reasons', (n) => P.reasons(n, state.today ? {
      positive: F.topReasons(state.today.detail && state.today.detail.reasons_positive),
      negative: F.topReasons(state.today.detail && state.today.detail.reasons_negative) } : null, t));
    panel('prompts', (n) => P.prompts(n, [...state.prompts.values()], t));
    panel('alerts', (n) => P.alerts(n, F.makeAlerts(state.alerts.values(), t), alertActions, t));
    panel('trend', (n) => P.trend(n, state.daily ? F.makeTrend(state.daily, nps) : null, t));
  }

  const alertActions = {
    get who() { return account; },
    answer: (id) => answers.get(id),
    send(id, action, comment) {
      const alert = state.alerts.get(id);
      const answer = { action, result: 'sent', updated: alert ? alert.updated : null };
      answers.set(id, answer);
      render();
      self.StoreqLive.answerAlert(live, root, account, id, action, comment, (result) => {
        if (answers.get(id) !== answer) return;  // the alert moved on meanwhile
        if (result === 'sent') return;
        answer.result = result;
        render();
      });
    },
  };

  function start() {
    for (const [id, key] of [['h-alerts', 'panel.alerts'], ['h-timeline', 'panel.timeline'], ['h-lanes', 'panel.lanes'], ['h-prompts', 'panel.prompts'],
      ['h-reasons', 'panel.reasons'], ['h-trend', 'panel.trend']]) document.getElementById(id).textContent = t(key);
    P.languagePicker(document.getElementById('lang'), lang, I.languages);
    live = self.StoreqLive.start({
      t, defaultUser: 'manager',
      status: (username) => ({ topic: root + 'device/' + username + '/status', kind: 'manager' }),
    topics: () => [root + 'stats/+', root + 'prompts/+', root + 'alerts/+', root + 'lane/+/state', root + 'lane/+/queue', root + 'forecast',
      root + 'device/controller/status'],
      // Live prompts and alerts come again, retained.
      onConnect: (username) => { account = username; state.prompts.clear(); state.alerts.clear(); },
      onMessage,
      onLink: (l) => { link = l; render(); },
    });
    const logout = document.getElementById('logout');
    logout.textContent = t('logout');
    logout.addEventListener('click', () => live.logout());
    draw();
  }
  start();
})();
