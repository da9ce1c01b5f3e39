// The dashboard's queue-cost line: a port of kiosk/model/queue_cost_view.cpp, to the digit
// (tests/web/figures_test.js holds it to the C++ unit test's strings). Pure: no DOM.
// Words come from t(key, params) (common/i18n.js); digits never do.
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.StoreqQueueCost = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
  const get = (row, key) => (row && isNum(row[key]) ? row[key] : null);

  // Whole points, half away from zero (llround); '-' for nothing; `sign`: '+3' for a gain.
  function points(value, sign) {
    if (!isNum(value)) return '-';
    const rounded = value < 0 ? -Math.round(-value) : Math.round(value);
    return (sign && rounded > 0 ? '+' : '') + String(rounded === 0 ? 0 : rounded);
  }

  // 1904 -> '1,904', in every language.
  function groupedCount(n) {
    const digits = String(Math.abs(n));
    let out = n < 0 ? '-' : '';
    for (let i = 0; i < digits.length; ++i) {
      if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
      out += digits[i];
    }
    return out;
  }

  function side(row, value, n) {
    const count = get(row, n);
    return points(get(row, value)) + ' (n ' + groupedCount(count === null ? 0 : (count < 0 ? -Math.round(-count) : Math.round(count))) + ')';
  }

  function differenceText(row, nps, t) {
    const f = nps ? 'nps_breach_diff' : 'happy_breach_diff';
    const value = get(row, f), low = get(row, f + '_ci95_low'), high = get(row, f + '_ci95_high');
    let text = points(value, true);
    if (value !== null && low !== null && high !== null) text += ' (' + t('qcost.to', { low: points(low, true), high: points(high, true) }) + ')';
    return text;
  }

  // stats/today and stats/daily as they came; `nps`: the store answers on the NPS scale only.
  function makeQueueCost(today, daily, nps, t) {
    if (!today) return { waiting: true, line: t('qcost.waiting'), difference: '', costs: false };
    const row = today.totals || {};
    const a = nps ? 'nps_after_breach' : 'happy_after_breach', b = nps ? 'nps_no_breach' : 'happy_no_breach';
    const line = t('qcost.line', { score: t(nps ? 'tile.nps' : 'tile.happy_index'), after: side(row, a, a + '_n'), none: side(row, b, b + '_n') });
    let difference = t('qcost.difference', { value: differenceText(row, nps, t) });
    if (daily && daily.week) difference += t('qcost.week', { value: differenceText(daily.week, nps, t) });
    difference += t('qcost.caveat');
    const high = get(row, (nps ? 'nps_breach_diff' : 'happy_breach_diff') + '_ci95_high');
    return { waiting: false, line, difference, costs: high !== null && high < 0 };
  }

  return { points, groupedCount, makeQueueCost };
});
