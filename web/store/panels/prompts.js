// Live prompts, as the controller publishes them (retained prompts/*).
(function (root) {
  'use strict';
  const { el, replace } = root.StoreqDom;
  const P = (root.StoreqPanels = root.StoreqPanels || {});
  P.promptTitle = (p, t) => t('prompt.' + (p.action || 'open_till'), { till: p.till });
  P.prompts = function (node, prompts, t) {
    if (!prompts.length) return replace(node, el('div', { class: 'empty' }, [el('p', { text: t('prompts.none') }),
      el('p', { class: 'muted', text: t('prompts.none_detail') })]));
    const sorted = prompts.slice().sort((a, b) => (b.level || 0) - (a.level || 0) || (a.raised || 0) - (b.raised || 0));
    replace(node, el('ul', { class: 'prompt-list' }, sorted.map((p) => {
      let detail = p.claimed_by ? t('prompts.claimed_by', { who: p.claimed_by }) : t('prompts.unclaimed');
      if (p.level >= 2) detail = t('prompts.escalated', { detail });
      return el('li', { class: 'prompt level-' + p.level, 'data-prompt': p.id }, [
        el('strong', { text: P.promptTitle(p, t) }), el('span', { class: 'muted', text: ' ' + detail })]);
    })));
  };
})(self);
