// What a queue costs: one line under today's tiles (makeQueueCost, common/queue_cost_figures.js).
(function (root) {
  'use strict';
  const { el, replace } = root.StoreqDom;
  const P = (root.StoreqPanels = root.StoreqPanels || {});
  P.queueCost = function (node, view) {
    replace(node, [
      el('span', { class: 'line' + (view.waiting ? ' muted' : ''), text: view.line }),
      view.difference ? el('span', { class: 'difference' + (view.costs ? ' costs' : ' muted'), text: view.difference }) : null,
    ]);
  };
})(self);
