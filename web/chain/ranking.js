// The chain's ranking table: stores (or regions) with One in Front, Happy Index, NPS with
// its interval and promise kept, each with its change against the previous period.
// rankRows is pure (node can test it); P.ranking draws it.
(function (root) {
  'use strict';
  // In the page: the globals of common/figures.js; under node (tests/web): required.
  const F = root.StoreqFigures || require('../common/figures.js');
  const P = (root.StoreqPanels = root.StoreqPanels || {});
  if (typeof module === 'object' && module.exports) module.exports = P;
  const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const change = (v, decimals) => (num(v) === null ? '' : F.signedFixed(v, decimals));

  // sortKey: compliance_pct (the document's own rank), happy_index, nps, promise_kept_pct;
  // higher first, rows without the figure last, ties by name.
  function rankRows(rows, sortKey, nameKey) {
    const sorted = rows.filter((r) => r && typeof r === 'object').sort((a, b) => {
      const x = num(a[sortKey]), y = num(b[sortKey]);
      if (x === null && y !== null) return 1;
      if (y === null && x !== null) return -1;
      if (x !== y) return y - x;
      return String(a[nameKey]).localeCompare(String(b[nameKey]));
    });
    return sorted.map((r, i) => ({
      rank: i + 1, name: String(r[nameKey]), region: r.region || '',
      compliance: F.formatFigure(num(r.compliance_pct)) + (num(r.compliance_pct) === null ? '' : '%'),
      compliance_change: change(r.change_compliance_pct, 1), compliance_tone: F.complianceTone(num(r.compliance_pct)),
      happy: F.formatFigure(num(r.happy_index)), happy_change: change(r.change_happy_index, 1), happy_tone: F.happyTone(num(r.happy_index)),
      nps: num(r.nps) === null ? '-' : F.signedFixed(r.nps, 0),
      nps_ci: num(r.nps) === null ? '' : F.signedFixed(num(r.nps_ci95_low) === null ? -100 : r.nps_ci95_low, 0) + '..' +
        F.signedFixed(num(r.nps_ci95_high) === null ? 100 : r.nps_ci95_high, 0),
      nps_change: change(r.change_nps, 0), nps_thin: (num(r.nps_thin) || 0) !== 0 && (num(r.nps_n) || 0) > 0,
      promise: F.formatFigure(num(r.promise_kept_pct)) + (num(r.promise_kept_pct) === null ? '' : '%'),
      promise_tone: F.complianceTone(num(r.promise_kept_pct)),
      row: r,
    }));
  }

  P.rankRows = rankRows;
  P.ranking = function (node, view, t, onPick, onSort) {
    const { el, replace } = root.StoreqDom;
    if (!view) return replace(node, el('p', { class: 'waiting', text: t('chain.waiting') }));
    const heads = [['chain.rank', null], [view.byStore ? 'chain.store' : 'chain.region', null]]
      .concat(view.byStore ? [['chain.region', null]] : [])
      .concat([['chain.compliance', 'compliance_pct'], ['chain.happy', 'happy_index'], ['chain.nps', 'nps'], ['chain.promise', 'promise_kept_pct']]);
    const head = el('tr', {}, heads.map(([k, sort]) => el('th', { class: sort ? 'num' : k === 'chain.region' ? 'region' : null },
      sort ? el('button', { class: 'small' + (view.sortKey === sort ? ' current' : ''), onclick: () => onSort(sort), text: t(k) }) : t(k))));
    const cell = (value, delta, tone) => el('td', { class: 'num' }, [el('span', { class: tone ? 'tone-' + tone : null, text: value }),
      delta ? el('span', { class: 'muted small', text: ' ' + delta }) : null]);
    const body = view.rows.map((r) => el('tr', view.byStore ? { 'data-store': r.name, onclick: () => onPick(r) } : { 'data-region': r.name }, [
      el('td', { text: String(r.rank) }), el('td', {}, el('strong', { text: r.name })),
      view.byStore ? el('td', { class: 'region', text: r.region }) : null,
      cell(r.compliance, r.compliance_change, r.compliance_tone), cell(r.happy, r.happy_change, r.happy_tone),
      el('td', { class: 'num' }, [el('span', { text: r.nps }), r.nps_ci ? el('span', { class: 'muted small ci', text: ' (' + r.nps_ci + ')' + (r.nps_thin ? ' n<30' : '') }) : null,
        r.nps_change ? el('span', { class: 'muted small', text: ' ' + r.nps_change }) : null]),
      cell(r.promise, '', r.promise_tone),
    ]));
    replace(node, el('div', { class: 'scroll' }, el('table', { class: 'ranking' }, [el('thead', {}, head), el('tbody', {}, body)])));
  };
})(typeof self !== 'undefined' ? self : globalThis);
