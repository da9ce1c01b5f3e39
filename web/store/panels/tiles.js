// Today's tiles: value, unit, the n behind it and the week-ago comparison (make_kpis).
(function (root) {
  'use strict';
  const { el, replace } = root.StoreqDom;
  const P = (root.StoreqPanels = root.StoreqPanels || {});
  P.tiles = function (node, tiles, t) {
    if (!tiles) return replace(node, el('p', { class: 'waiting', text: t('dash.waiting') }));
    replace(node, tiles.map((x) => el('article', { class: 'tile tone-' + x.tone + (x.thin ? ' thin' : ''), 'data-tile': x.key }, [
      el('h3', { text: x.label }),
      el('div', { class: 'value' }, [el('span', { class: 'figure', text: x.value }), x.unit ? el('span', { class: 'unit', text: x.unit }) : null]),
      el('div', { class: 'detail', text: x.detail }),
      el('div', { class: 'detail muted', text: x.detail2 }),
      x.comparison ? el('div', { class: 'compare', text: x.comparison }) : null,
    ])));
  };
  // NL EN DE FR links: the same page in another language.
  P.languagePicker = function (node, current, languages) {
    replace(node, languages.map((l) => {
      const url = new URL(location.href);
      url.searchParams.set('lang', l);
      return el('a', { href: url.pathname + url.search, class: 'lang' + (l === current ? ' current' : ''), hreflang: l, text: l.toUpperCase() });
    }));
  };
})(self);
