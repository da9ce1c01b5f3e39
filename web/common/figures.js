// The dashboard's figures as text: a port of kiosk/model/manager_view.cpp, so the web
// shows every figure of the SDL manager screen to the digit. Pure: no DOM, no MQTT;
// tests/web/figures_test.js runs it under node and compares it with C's printf.
// Words come from a translate function t(key, params) (common/i18n.js); digits never do.
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.StoreqFigures = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
  const get = (row, key) => (row && isNum(row[key]) ? row[key] : null);

  // printf("%.*f"): glibc rounds the exact binary value, an exact tie to even. JS's
  // toFixed also rounds the exact value but a tie away from zero (0.125 -> "0.13",
  // C "0.12"; 2.5 -> "3", C "2"): only exact ties are handled here.
  function fixed(value, decimals) {
    const negative = value < 0 || Object.is(value, -0);
    const magnitude = Math.abs(value);
    let text = magnitude.toFixed(decimals);
    const exact = magnitude.toFixed(Math.min(100, decimals + 40));
    const tail = exact.slice(exact.length - 40);
    if (tail === '5' + '0'.repeat(39)) {
      // An exact tie: toFixed went up; C goes to the even neighbour.
      const digits = text.replace('.', '');
      const last = Number(digits[digits.length - 1]);
      if (last % 2 === 1) text = stepDown(text);
    }
    return (negative ? '-' : '') + text;
  }

  // "1.3" -> "1.2", "10" -> "9", "1.0" -> "0.9": one unit of the last digit less.
  function stepDown(text) {
    const chars = text.split('');
    for (let i = chars.length - 1; i >= 0; --i) {
      if (chars[i] === '.') continue;
      if (chars[i] !== '0') { chars[i] = String(Number(chars[i]) - 1); break; }
      chars[i] = '9';
    }
    let out = chars.join('');
    // "09.9" -> "9.9": no leading zero before another digit.
    while (out.length > 1 && out[0] === '0' && out[1] !== '.') out = out.slice(1);
    return out;
  }

  function signedFixed(value, decimals) {
    let text = fixed(value, decimals);
    if (value > 0 && text !== fixed(0, decimals)) text = '+' + text;
    return text;
  }

  function formatFigure(value, decimals) {
    if (!isNum(value)) return '-';
    return fixed(value, decimals === undefined ? 1 : decimals);
  }

  // llround: half away from zero.
  function countText(value) {
    if (!isNum(value)) return '-';
    const r = value < 0 ? -Math.round(-value) : Math.round(value);
    return String(Object.is(r, -0) ? 0 : r);
  }

  function secondsText(value) {
    if (!isNum(value)) return '-';
    if (value < 120) return fixed(value, 0) + ' s';
    return fixed(value / 60, 1) + ' min';
  }

  function complianceTone(pct) {
    if (!isNum(pct)) return 'neutral';
    if (pct >= 95) return 'good';
    if (pct >= 85) return 'warn';
    return 'bad';
  }

  function happyTone(index) {
    if (!isNum(index)) return 'neutral';
    if (index >= 70) return 'good';
    if (index >= 50) return 'warn';
    return 'bad';
  }

  function digits(text, pos, n) {
    if (typeof text !== 'string' || text.length < pos + n) return null;
    let value = 0;
    for (let i = pos; i < pos + n; ++i) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return null;
      value = value * 10 + (c - 48);
    }
    return value;
  }

  function daysFromCivil(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    const era = Math.trunc((y >= 0 ? y : y - 399) / 400);
    const yoe = y - era * 400;
    const doy = Math.trunc((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    const doe = yoe * 365 + Math.trunc(yoe / 4) - Math.trunc(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }

  // 0 = Monday .. 6 = Sunday; null for text that is no date.
  function weekdayIndex(date) {
    const y = digits(date, 0, 4), m = digits(date, 5, 2), d = digits(date, 8, 2);
    if (y === null || m === null || d === null || date.length < 10 || m < 1 || m > 12 || d < 1 || d > 31) return null;
    const days = daysFromCivil(y, m, d);
    return (((days % 7) + 7) % 7 + 3) % 7;  // 1970-01-01 was a Thursday (3)
  }

  function hourOf(period) {
    if (typeof period !== 'string' || period.length < 13 || period[10] !== 'T') return -1;
    const h = digits(period, 11, 2);
    return h !== null && h < 24 ? h : -1;
  }

  function utcOffsetMin(period) {
    if (typeof period !== 'string' || period.length < 25) return null;
    const sign = period[19];
    const h = digits(period, 20, 2), m = digits(period, 23, 2);
    if ((sign !== '+' && sign !== '-') || h === null || m === null) return null;
    return (sign === '-' ? -1 : 1) * (h * 60 + m);
  }

  function shortOffset(period) {
    const minutes = utcOffsetMin(period);
    if (minutes === null) return '';
    const abs = Math.abs(minutes);
    const sign = minutes < 0 ? '-' : '+';
    if (abs % 60 === 0) return sign + Math.trunc(abs / 60);
    return sign + Math.trunc(abs / 60) + ':' + String(abs % 60).padStart(2, '0');
  }

  // "14:02" (or with seconds) in the store's offset; " UTC" when no offset is known.
  function clockText(ts, offsetMin, withSeconds) {
    let seconds = Math.trunc(ts / 1000) + (offsetMin === null || offsetMin === undefined ? 0 : offsetMin) * 60;
    seconds = ((seconds % 86400) + 86400) % 86400;
    const p = (n) => String(n).padStart(2, '0');
    let text = p(Math.trunc(seconds / 3600)) + ':' + p(Math.trunc(seconds / 60) % 60);
    if (withSeconds) text += ':' + p(seconds % 60);
    return text + (offsetMin === null || offsetMin === undefined ? ' UTC' : '');
  }

  // The store's feedback score: the Happy Index where smiley answers exist, else NPS.
  function useNps(today, daily) {
    const has = (row, n) => (get(row, n) || 0) > 0;
    if (today && today.totals) return !has(today.totals, 'happy_n') && has(today.totals, 'nps_n');
    if (daily && daily.period) return !has(daily.period, 'happy_n') && has(daily.period, 'nps_n');
    return false;
  }

  // The tiles of the SDL screen (make_kpis). t(key, params) gives the words.
  function makeKpis(today, t) {
    const tot = today.totals && typeof today.totals === 'object' ? today.totals : {};
    const w = today.week_ago && today.week_ago.totals ? today.week_ago.totals : null;
    const weekAgoDate = today.week_ago ? today.week_ago.date : null;
    const then = (key) => (w ? get(w, key) : null);
    const compare = (value, decimals, sign) => {
      if (!w || !weekAgoDate) return '';
      const day = t('weekday.' + weekdayIndex(weekAgoDate));
      if (value === null) return t('tile.compare_none', { day });
      return t('tile.compare', { day, value: sign ? signedFixed(value, decimals) : fixed(value, decimals) });
    };
    const tiles = [];
    const tile = (key, value, unit, tone) => {
      const x = { key, label: t('tile.' + key), value, unit: unit || '', detail: '', detail2: '', comparison: '', tone: tone || 'neutral', thin: false };
      tiles.push(x);
      return x;
    };

    const responses = tile('responses', countText(get(tot, 'responses')));
    responses.detail = t('tile.misuse', { n: countText(get(tot, 'misuse')) });
    responses.detail2 = t('tile.misuse_note');
    responses.comparison = compare(then('responses'), 0);

    const happy = tile('happy_index', formatFigure(get(tot, 'happy_index')), '/100', happyTone(get(tot, 'happy_index')));
    happy.detail = t('tile.answers', { n: countText(get(tot, 'happy_n')) });
    happy.detail2 = t('tile.happy_scale');
    happy.comparison = compare(then('happy_index'), 1);

    const nps = tile('nps', '-');
    const npsN = get(tot, 'nps_n') || 0;
    const npsValue = get(tot, 'nps');
    if (npsValue !== null) {
      nps.value = signedFixed(npsValue, 0);
      const low = get(tot, 'nps_ci95_low'), high = get(tot, 'nps_ci95_high');
      nps.detail = t('tile.nps_ci', {
        low: signedFixed(low === null ? -100 : low, 0), high: signedFixed(high === null ? 100 : high, 0) });
    } else {
      nps.detail = t('tile.nps_none');
    }
    const thinFlag = get(tot, 'nps_thin');
    nps.thin = (thinFlag === null ? 1 : thinFlag) !== 0 && npsN > 0;
    nps.detail2 = 'n ' + countText(npsN) + (nps.thin ? t('tile.nps_thin') : '');
    nps.comparison = compare(then('nps'), 0, true);

    const compliance = tile('compliance', formatFigure(get(tot, 'compliance_pct')), '%', complianceTone(get(tot, 'compliance_pct')));
    compliance.detail = t('tile.breach', { min: formatFigure(get(tot, 'breach_min'), 1) });
    compliance.detail2 = t('tile.counted', { min: formatFigure(get(tot, 'counted_min'), 0) });
    compliance.comparison = compare(then('compliance_pct'), 1);

    const times = tile('times', secondsText(get(tot, 'time_to_claim_p50_s')) + ' / ' + secondsText(get(tot, 'time_to_open_p50_s')));
    times.detail = 'p90 ' + secondsText(get(tot, 'time_to_claim_p90_s')) + ' / ' + secondsText(get(tot, 'time_to_open_p90_s'));
    times.detail2 = t('tile.prompts_done', { done: countText(get(tot, 'prompts_fulfilled')), raised: countText(get(tot, 'prompts_raised')) });
    times.comparison = compare(then('time_to_open_p50_s'), 0);
    if (then('time_to_open_p50_s') !== null) times.comparison += t('tile.s_open');

    const promise = tile('promise', formatFigure(get(tot, 'promise_kept_pct')), '%', complianceTone(get(tot, 'promise_kept_pct')));
    promise.detail = t('tile.kept_broken', { kept: countText(get(tot, 'promise_kept')), broken: countText(get(tot, 'promise_broken')) });
    promise.detail2 = t('tile.promise_note');
    promise.comparison = compare(then('promise_kept_pct'), 1);

    for (const x of tiles) if (x.value === '-') x.unit = '';
    return tiles;
  }

  // One point per hour, from the first hour with anything in it (at least 8 shown), as
  // make_timeline does; a clock hour that happens twice keeps its offset in its label.
  function makeTimeline(hourly, nps) {
    const all = [];
    for (const row of Array.isArray(hourly.hours) ? hourly.hours : []) {
      const hour = row && typeof row === 'object' ? hourOf(row.period) : -1;
      if (hour < 0) continue;
      all.push({
        hour, period: row.period, score: get(row, nps ? 'nps' : 'happy_index'),
        breach_min: get(row, 'breach_min') || 0, responses: Math.trunc(get(row, 'responses') || 0),
        open: (get(row, 'open_min') || 0) > 0,
      });
    }
    const seen = {};
    for (const p of all) seen[p.hour] = (seen[p.hour] || 0) + 1;
    for (const p of all) p.label = String(p.hour).padStart(2, '0') + (seen[p.hour] > 1 ? shortOffset(p.period) : '');
    let first = all.findIndex((p) => p.open || p.responses > 0);
    if (first < 0) first = all.length ? all.length - 1 : 0;
    if (all.length - first < 8) first = all.length >= 8 ? all.length - 8 : 0;
    const hours = all.slice(first);
    let most = 0;
    for (const p of hours) most = Math.max(most, p.breach_min);
    let axis = 4;
    for (axis of [4, 8, 12, 20, 40, 60, 80, 120, 160, 240, 480]) if (most <= axis) break;
    return { scoreLabel: nps ? 'NPS' : 'Happy Index', scoreMin: nps ? -100 : 0, scoreMax: 100, hours, breachAxisMax: axis };
  }

  // The forecast onto the timeline (add_forecast in manager_view.cpp): each hour's mean
  // tills open and needed, matched by clock hour, and the need ahead.
  function addForecast(view, forecast) {
    if (!view || !forecast || typeof forecast !== 'object') return view;
    const hours = Array.isArray(forecast.hours) ? forecast.hours : [];
    for (const point of view.hours) {
      const hour = hours.find((h) => h && h.hour === point.hour && typeof h.open === 'number' && typeof h.needed === 'number');
      if (hour) { point.tills_open = hour.open; point.tills_needed = hour.needed; }
    }
    const n = (v) => (typeof v === 'number' && isFinite(v) ? Math.trunc(v) : 0);
    view.forecast = { now: n(forecast.needed_now), in15: n(forecast.needed_in15), in30: n(forecast.needed_in30), open: n(forecast.open_tills) };
    view.shortOfTills = Math.max(view.forecast.in15, view.forecast.in30) > view.forecast.open;
    return view;
  }

  function direction(now, before, higherIsBetter) {
    if (now === null || before === null || Math.abs(now - before) < 0.05) return 0;
    return (now > before) === higherIsBetter ? 1 : -1;
  }

  function makeTrend(daily, nps) {
    const days = (Array.isArray(daily.days) ? daily.days : []).filter((row) => row && typeof row === 'object').map((row) => ({
      label: typeof row.period === 'string' && row.period.length >= 10 ? row.period.slice(5, 10) : String(row.period),
      score: get(row, nps ? 'nps' : 'happy_index'),
      compliance: get(row, 'compliance_pct'),
    }));
    const now = daily.period && typeof daily.period === 'object' ? daily.period : {};
    const before = daily.previous_period && typeof daily.previous_period === 'object' ? daily.previous_period : {};
    const figures = [];
    const figure = (key, decimals, higherIsBetter, unit) => {
      const a = get(now, key), b = get(before, key);
      figures.push({ key, now: a === null ? '-' : fixed(a, decimals) + unit, before: b === null ? '-' : fixed(b, decimals) + unit,
        direction: direction(a, b, higherIsBetter) });
    };
    figure('responses', 0, true, '');
    if (nps) figure('nps', 0, true, ''); else figure('happy_index', 1, true, '');
    figure('compliance_pct', 1, true, '%');
    figure('breach_min', 0, false, '');
    figure('promise_kept_pct', 1, true, '%');
    const periodText = (p) => (typeof p === 'string' && p.includes('/') ? p.replace('/', ' – ') : (p || ''));
    return { days, figures, period: periodText(now.period), previous: periodText(before.period), scoreLabel: nps ? 'NPS' : 'Happy Index' };
  }

  // Lanes today with what each is doing now. live: {lane: {open, count}} from the
  // retained lane topics, newer than the document (a till opened a second ago).
  function makeLanes(lanes, live) {
    return (Array.isArray(lanes.lanes) ? lanes.lanes : []).filter((row) => row && typeof row === 'object').map((row) => {
      const lane = String(row.lane);
      const now = live && live[lane];
      const open = now && now.open !== undefined ? now.open : (get(row, 'open_now') || 0) !== 0;
      const count = now && now.count !== undefined ? now.count : get(row, 'count_now');
      return {
        lane, open, breaching: (get(row, 'breaching_now') || 0) !== 0, count: open && isNum(count) ? countText(count) : null,
        open_min: formatFigure(get(row, 'open_min'), 0), avg_queue: formatFigure(get(row, 'avg_queue'), 2),
        max_queue: countText(get(row, 'max_queue')), breach_min: formatFigure(get(row, 'breach_min'), 1),
        compliance: get(row, 'compliance_pct') !== null ? formatFigure(get(row, 'compliance_pct')) + '%' : '-',
        compliance_tone: complianceTone(get(row, 'compliance_pct')),
      };
    });
  }

  // The four most given reasons of one side, with their share of that side.
  function topReasons(counts) {
    let total = 0;
    const bars = [];
    for (const code of Object.keys(counts && typeof counts === 'object' ? counts : {}).sort()) {
      const n = counts[code];
      if (!isNum(n)) continue;
      total += n;
      bars.push({ code, count: n });
    }
    bars.sort((a, b) => b.count - a.count);  // stable: ties keep code order, as std::map does
    const top = bars.slice(0, 4);
    for (const bar of top) bar.share = total > 0 ? bar.count / total : 0;
    return top;
  }

  // A reason code as the kiosk asked it (its text in the page's language), else the code.
  function reasonLabel(code, t) {
    const text = t('reason.' + code);
    return text !== 'reason.' + code ? text : String(code).replace(/_/g, ' ');
  }

  // Minutes with no decimals: "6 min" (minutes_text). The unit is the language's.
  const minutesText = (minutes, t) => t('alert.minutes', { min: fixed(minutes, 0) });

  // An alert's title (alert_title): its figure, n and window as the SDL dashboard words
  // them. Feedback rules have no subject: no title names a till for them.
  function alertTitle(a, t) {
    const window = isNum(a.window) && a.window !== 0 ? t('alert.window', { min: fixed(a.window / 60000, 0) }) : '';
    const figure = isNum(a.figure) ? a.figure : 0;
    const paren = isNum(a.window) && a.window !== 0 ? t('alert.window_paren', { min: fixed(a.window / 60000, 0) }) : '';
    const p = { figure: fixed(figure, 0), n: isNum(a.n) ? String(a.n) : '0', window, paren, subject: typeof a.subject === 'string' ? a.subject : '' };
    switch (a.kind) {
      case 'negative_share': case 'happy_index_below': case 'detractors_in_row': case 'great_hour':
      case 'compliance_below': case 'outbox_growing':
        return t('alert.' + a.kind, p);
      case 'breach_unanswered': return t('alert.breach_unanswered', { ...p, min: minutesText(figure / 60, t) });
      case 'all_tills_open_long': case 'sensor_silent': case 'kiosk_offline': case 'head_office_cut':
        return t('alert.' + a.kind, { ...p, min: minutesText(figure, t) });
      default: return String(a.rule || a.kind || '');
    }
  }

  // One alert as the dashboard lists it (make_alert_view): title, the detail line (top
  // reasons, who acknowledged), the tone (red bad, green good, grey once acknowledged).
  function makeAlertView(a, t) {
    const acknowledged = a.state === 'acknowledged';
    const reasons = (Array.isArray(a.reasons) ? a.reasons : []).filter((r) => r && typeof r.code === 'string' && isNum(r.count))
      .map((r) => ({ code: r.code, label: reasonLabel(r.code, t), count: r.count }));
    const state = acknowledged ? t('alert.acknowledged_by', { who: a.acknowledged_by || '?' }) : t('alert.not_acknowledged');
    const list = reasons.map((r) => r.label + ' ' + r.count).join(', ');
    return {
      id: a.id, title: alertTitle(a, t), level: a.level === 2 ? 2 : 1, state: a.state, acknowledged, reasons,
      detail: reasons.length ? t('alert.reasons', { list }) + ' - ' + state : state,
      tone: acknowledged ? 'neutral' : a.tone === 'good' ? 'good' : 'bad',
    };
  }

  // The open and acknowledged alerts, newest first (ties by id, as the SDL's map keeps them).
  function makeAlerts(alerts, t) {
    return [...alerts].filter((a) => a && typeof a === 'object' && typeof a.id === 'string' && (a.state === 'open' || a.state === 'acknowledged'))
      .sort((a, b) => (isNum(b.opened) ? b.opened : 0) - (isNum(a.opened) ? a.opened : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((a) => makeAlertView(a, t));
  }

  return {
    reasonLabel, alertTitle, makeAlertView, makeAlerts,
    fixed, signedFixed, formatFigure, countText, secondsText, complianceTone, happyTone, weekdayIndex,
    hourOf, utcOffsetMin, shortOffset, clockText, useNps, makeKpis, makeTimeline, addForecast, makeTrend, makeLanes, topReasons,
  };
});
