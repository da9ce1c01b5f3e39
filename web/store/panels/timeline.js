// Today by hour: the Happy Index (or NPS) as a line with dots, breach minutes as bars,
// one column per hour (make_timeline). HTML columns keep the labels readable on a phone;
// the line is an SVG stretched under them.
(function (root) {
  'use strict';
  const { el, replace } = root.StoreqDom;
  const F = root.StoreqFigures;
  const P = (root.StoreqPanels = root.StoreqPanels || {});
  const SVG = 'http://www.w3.org/2000/svg';
  P.timeline = function (node, view, t) {
    if (!view) return replace(node, el('p', { class: 'waiting', text: t('dash.waiting') }));
    const n = view.hours.length;
    const y = (score) => 100 - ((score - view.scoreMin) / (view.scoreMax - view.scoreMin)) * 100;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + n + ' 100');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('class', 'timeline-line');
    const points = [];
    view.hours.forEach((h, i) => { if (h.score !== null) points.push((i + 0.5) + ',' + y(h.score)); });
    if (points.length > 1) {
      const line = document.createElementNS(SVG, 'polyline');
      line.setAttribute('points', points.join(' '));
      line.setAttribute('vector-effect', 'non-scaling-stroke');
      svg.append(line);
    }
    const columns = view.hours.map((h) => el('div', {
      class: 'hour' + (h.open ? ' open' : ''), 'data-hour': h.label, 'data-period': h.period, 'data-breach': h.breach_min,
      title: h.label + ':00  ' + view.scoreLabel + ' ' + F.formatFigure(h.score) + ', ' + F.formatFigure(h.breach_min, 1) + ' min, n ' + h.responses,
    }, [
      el('div', { class: 'plot' }, [
        el('div', { class: 'breach', style: 'height:' + Math.min(100, (h.breach_min / view.breachAxisMax) * 100) + '%' }),
        h.score !== null ? el('div', { class: 'dot', style: 'bottom:' + (100 - y(h.score)) + '%' }) : null,
        h.score !== null ? el('div', { class: 'score', style: 'bottom:' + (100 - y(h.score)) + '%', text: F.formatFigure(h.score, 0) }) : null,
      ]),
      el('div', { class: 'label', text: h.label }),
      el('div', { class: 'n muted', text: h.responses > 0 ? 'n ' + h.responses : '' }),
      // Tills open/needed in the hour (the forecast), as on the SDL dashboard: "2/3".
      view.forecast ? el('div', {
        class: 'tills' + (h.tills_needed !== undefined && Math.round(h.tills_needed) > Math.round(h.tills_open) ? ' short' : ''),
        text: h.tills_open !== undefined ? F.fixed(h.tills_open, 0) + '/' + F.fixed(h.tills_needed, 0) : '',
      }) : null,
    ]));
    replace(node, [
      el('div', { class: 'legend' }, [
        el('span', { class: 'key-line', text: view.scoreLabel + ' (' + view.scoreMin + '..' + view.scoreMax + ')' }),
        el('span', { class: 'key-bar', text: t('panel.breach_bars') + ', 0..' + view.breachAxisMax }),
        view.forecast ? el('span', { class: 'key-tills' + (view.shortOfTills ? ' short' : ''), id: 'forecast-line',
          text: t('panel.forecast', view.forecast) }) : null,
      ]),
      el('div', { class: 'timeline', style: '--hours:' + n }, [svg, ...columns]),
    ]);
  };
})(self);
