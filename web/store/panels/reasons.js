// Top reasons today, each side's four most given with their share (top_reasons).
(function (root) {
  'use strict';
  const { el, replace } = root.StoreqDom;
  const P = (root.StoreqPanels = root.StoreqPanels || {});
  const side = (title, bars, tone, t) => el('div', { class: 'reason-side ' + tone }, [
    el('h3', { text: title }),
    bars.length ? el('ul', {}, bars.map((b) => el('li', { 'data-reason': b.code }, [
      // The kiosk's own text for the chip (as the SDL dashboard shows it), else the code.
      el('span', { class: 'reason-label', text: root.StoreqFigures.reasonLabel(b.code, t) }),
      el('span', { class: 'reason-bar' }, el('span', { style: 'width:' + Math.round(b.share * 100) + '%' })),
      el('span', { class: 'num', text: String(b.count) }),
    ]))) : el('p', { class: 'muted', text: t('reasons.none') }),
  ]);
  P.reasons = function (node, view, t) {
    if (!view) return replace(node, el('p', { class: 'waiting', text: t('dash.waiting') }));
    replace(node, el('div', { class: 'reasons' }, [side(t('reasons.positive'), view.positive, 'good', t),
      side(t('reasons.negative'), view.negative, 'bad', t)]));
  };
})(self);
