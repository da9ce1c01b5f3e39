// Lanes today and what each does now (make_lanes); "now" follows the retained lane
// topics at once, the day's figures the controller's stats/lanes.
(function (root) {
  'use strict';
  const { el, replace } = root.StoreqDom;
  const P = (root.StoreqPanels = root.StoreqPanels || {});
  P.lanes = function (node, rows, t) {
    if (!rows) return replace(node, el('p', { class: 'waiting', text: t('dash.waiting') }));
    if (!rows.length) return replace(node, el('p', { class: 'waiting', text: t('lanes.none') }));
    const head = el('tr', {}, ['lanes.till', 'lanes.now', 'lanes.avg', 'lanes.max', 'lanes.breach', 'lanes.compliance']
      .map((k, i) => el('th', { class: i > 1 ? 'num' : null, text: t(k) })));
    const body = rows.map((r) => el('tr', { 'data-lane': r.lane, 'data-open': r.open ? 'yes' : 'no', class: r.breaching ? 'breaching' : null }, [
      el('td', { text: t('lanes.name', { lane: r.lane }) }),
      el('td', { class: 'now ' + (r.open ? 'is-open' : 'is-closed'),
        text: !r.open ? t('lanes.closed') : r.count === null ? t('lanes.open_no_count') : t('lanes.open_count', { n: r.count }) }),
      el('td', { class: 'num', text: r.avg_queue }),
      el('td', { class: 'num', text: r.max_queue }),
      el('td', { class: 'num', text: r.breach_min }),
      el('td', { class: 'num tone-' + r.compliance_tone, text: r.compliance }),
    ]));
    replace(node, el('div', { class: 'scroll' }, el('table', { class: 'lanes' }, [el('thead', {}, head), el('tbody', {}, body)])));
  };
})(self);
