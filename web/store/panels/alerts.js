// Alerts (docs/alerts.md), newest first as the SDL dashboard lists them (makeAlerts): red
// for a bad one, green for a good one, grey once acknowledged. "Acknowledge" and "Close…"
// (the cause as a comment, which closing needs) answer as the logged-in account.
// Each alert's card is kept from one render to the next and only its texts change, so a
// comment being typed keeps its text and focus while new figures arrive every few seconds.
(function (root) {
  'use strict';
  const { el, replace } = root.StoreqDom;
  const P = (root.StoreqPanels = root.StoreqPanels || {});
  const kMaxCommentBytes = 280;  // protocol.md, AlertAnswer
  const bytes = (text) => new TextEncoder().encode(text).length;

  const cards = new Map();  // alert id -> its card's nodes

  function makeCard(id, actions, t) {
    const c = { id };
    c.title = el('strong', { class: 'alert-title' });
    c.detail = el('div', { class: 'alert-detail' });
    c.answer = el('p', { class: 'alert-answer', role: 'status' });
    c.acknowledge = el('button', { class: 'acknowledge', 'data-acknowledge': id, text: t('alerts.acknowledge'),
      onclick: () => actions.send(id, 'acknowledge', '') });
    c.comment = el('textarea', { id: 'comment-' + id, name: 'comment', rows: 2, maxlength: kMaxCommentBytes, 'aria-required': 'true',
      oninput: () => { c.problem.textContent = ''; } });
    c.problem = el('p', { class: 'error', role: 'alert' });
    c.form = el('form', { class: 'close-form', hidden: true, onsubmit: (e) => {
      e.preventDefault();
      const comment = c.comment.value.trim();
      if (!comment) c.problem.textContent = t('alerts.comment_needed');
      else if (bytes(comment) > kMaxCommentBytes) c.problem.textContent = t('alerts.comment_long', { n: bytes(comment) });
      else {
        c.problem.textContent = '';
        c.form.hidden = true;
        actions.send(id, 'close', comment);
      }
    } }, [
      el('label', { for: 'comment-' + id, text: t('alerts.comment') }), c.comment, c.problem,
      el('div', { class: 'alert-buttons' }, [
        el('button', { type: 'submit', class: 'close-submit', 'data-close-submit': id, text: t('alerts.close_submit') }),
        el('button', { type: 'button', text: t('alerts.cancel'), onclick: () => { c.form.hidden = true; c.openClose.hidden = false; c.problem.textContent = ''; } }),
      ]),
    ]);
    c.openClose = el('button', { class: 'close-open', 'data-close': id, text: t('alerts.close'), onclick: () => {
      c.form.hidden = false;
      c.openClose.hidden = true;
      c.comment.focus();
    } });
    c.node = el('li', { 'data-alert': id }, [
      el('div', { class: 'alert-text' }, [c.title, c.detail]),
      el('div', { class: 'alert-buttons' }, [c.acknowledge, c.openClose]),
      c.form, c.answer,
    ]);
    return c;
  }

  // views: F.makeAlerts(...); actions: {send(id, action, comment), answer(id) -> {action,
  // result} | undefined, who}.
  P.alerts = function (node, views, actions, t) {
    const section = node.closest('section');
    if (section) section.hidden = !views.length;
    let list = node.querySelector('ul.alert-list');
    if (!list) {
      list = el('ul', { class: 'alert-list' });
      replace(node, list);
    }
    const shown = new Set(views.map((v) => v.id));
    // A card that leaves is kept (not its place): after a reconnect the retained alerts come
    // again, and a comment half typed is still there.
    for (const [id, c] of cards) if (!shown.has(id)) c.node.remove();
    views.forEach((v, i) => {
      let c = cards.get(v.id);
      if (!c) cards.set(v.id, (c = makeCard(v.id, actions, t)));
      c.node.className = 'alert tone-' + v.tone + ' level-' + v.level;
      c.node.dataset.state = v.state;
      c.title.textContent = v.title;
      c.detail.textContent = v.detail;
      const answer = actions.answer(v.id);
      const waiting = answer && answer.result === 'sent';
      c.acknowledge.hidden = v.acknowledged || waiting;
      c.openClose.hidden = waiting || !c.form.hidden;
      c.answer.textContent = !answer ? '' : answer.result === 'sent' ? t('alerts.sent_' + answer.action)
        : answer.result === 'refused' ? t('alerts.refused', { who: actions.who }) : t('alerts.offline');
      c.answer.className = 'alert-answer' + (answer && answer.result !== 'sent' ? ' error' : '');
      // Moved only when out of place (a new alert goes on top): moving a node would take
      // the focus out of a comment being typed.
      if (list.children[i] !== c.node) list.insertBefore(c.node, list.children[i] || null);
    });
  };
})(self);
