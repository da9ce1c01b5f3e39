// The last 28 days against the 28 before: a small bar per day and the period figures
// with their direction (make_trend).
(function (root) {
  'use strict';
  const { el, replace } = root.StoreqDom;
  const P = (root.StoreqPanels = root.StoreqPanels || {});
  const arrow = (d) => (d > 0 ? '▲' : d < 0 ? '▼' : '');
  P.trend = function (node, view, t) {
    if (!view) return replace(node, el('p', { class: 'waiting', text: t('dash.waiting') }));
    const any = view.days.some((d) => d.score !== null || d.compliance !== null);
    const days = el('div', { class: 'days' }, view.days.map((d) => el('div', {
      class: 'day', title: d.label + ' ' + view.scoreLabel + ' ' + (d.score === null ? '-' : d.score) + ', 1-in-Front ' + (d.compliance === null ? '-' : d.compliance + '%'),
    }, [el('span', { class: 'c', style: 'height:' + (d.compliance === null ? 0 : Math.max(2, d.compliance)) + '%' })])));
    const rows = view.figures.map((f) => el('tr', { 'data-figure': f.key }, [
      el('td', { text: t('trend.' + f.key) }),
      el('td', { class: 'num', text: f.now }),
      el('td', { class: 'num muted', text: f.before }),
      el('td', { class: 'dir ' + (f.direction > 0 ? 'good' : f.direction < 0 ? 'bad' : ''), text: arrow(f.direction) }),
    ]));
    replace(node, [
      any ? days : el('p', { class: 'muted', text: t('trend.no_days') }),
      el('table', { class: 'trend' }, [
        el('thead', {}, el('tr', {}, [el('th'), el('th', { class: 'num', text: t('trend.now') }), el('th', { class: 'num', text: t('trend.before') }), el('th')])),
        el('tbody', {}, rows)]),
      el('p', { class: 'muted small', text: view.period + (view.previous ? '  |  ' + t('trend.before') + ': ' + view.previous : '') }),
    ]);
  };
})(self);
