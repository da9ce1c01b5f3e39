// Head office's chain view: the retained chain documents of the central broker
// (storeq/chain/v1/today and /28d, docs/hq.md), stores or regions ranked, and a store's
// figures for the period when its line is picked.
(function () {
  'use strict';
  const F = self.StoreqFigures, I = self.StoreqI18n, D = self.StoreqDom, P = self.StoreqPanels;
  const { el, replace } = D;
  const lang = I.pick(D.param('lang'), navigator.languages);
  const t = I.translator(lang);
  document.documentElement.lang = lang;
  const docs = {};
  let period = 'today', byStore = true, sortKey = 'compliance_pct', picked = null;
  let link = { live: false, text: '' };

  function onMessage(topic, text) {
    const m = /^storeq\/chain\/v1\/(today|28d)$/.exec(topic);
    if (!m) return;
    try { const doc = JSON.parse(text); if (doc && Array.isArray(doc.stores)) docs[m[1]] = doc; } catch (e) { return; }
    draw();
  }

  function tabs(node, items, current, pick) {
    replace(node, items.map(([key, label]) => el('button', { class: key === current ? 'current' : null, onclick: () => pick(key), text: label })));
  }

  function draw() {
    const linkEl = document.getElementById('link');
    linkEl.textContent = link.text;
    linkEl.className = 'link ' + (link.live ? 'live' : 'offline');
    tabs(document.getElementById('periods'), [['today', t('chain.today')], ['28d', t('chain.28d')]], period, (k) => { period = k; draw(); });
    tabs(document.getElementById('groups'), [['stores', t('chain.by_store')], ['regions', t('chain.by_region')]], byStore ? 'stores' : 'regions',
      (k) => { byStore = k === 'stores'; draw(); });
    const doc = docs[period];
    document.getElementById('generated').textContent = doc
      ? t('chain.generated', { date: new Date(doc.generated).toLocaleString(lang), from: doc.from, to: doc.to }) : '';
    const rows = doc ? (byStore ? doc.stores : doc.regions || []) : null;
    P.ranking(document.getElementById('ranking'), rows ? { byStore, sortKey, rows: P.rankRows(rows, sortKey, byStore ? 'store' : 'region') } : null, t,
      (r) => { picked = r.name; draw(); }, (k) => { sortKey = k; draw(); });
    const detail = document.getElementById('detail');
    const row = doc && picked ? doc.stores.find((s) => s.store === picked) : null;
    detail.hidden = !row;
    if (row) {
      replace(detail, [
        el('div', { class: 'bar' }, [el('h2', { text: t('chain.store_detail', { store: row.store }) + ' · ' + (row.region || '') + ' · ' + row.period }),
          el('button', { class: 'small', onclick: () => { picked = null; draw(); }, text: t('chain.close') })]),
        el('div', { class: 'tiles', id: 'store-tiles' }),
      ]);
      P.tiles(document.getElementById('store-tiles'), F.makeKpis({ totals: row }, t), t);
    }
  }

  document.getElementById('title').textContent = t('chain.title');
  P.languagePicker(document.getElementById('lang'), lang, I.languages);
  const live = self.StoreqLive.start({
    t, defaultUser: '',
    topics: () => ['storeq/chain/v1/today', 'storeq/chain/v1/28d'],
    onConnect: () => {},
    onMessage,
    onLink: (l) => { link = l; draw(); },
  });
  const logout = document.getElementById('logout');
  logout.textContent = t('logout');
  logout.addEventListener('click', () => live.logout());
})();
