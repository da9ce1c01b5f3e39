// The login form and the MQTT-over-WebSockets connection every view uses. The account
// and password are typed in and kept in memory only (never in the page, never stored);
// the broker's ACL decides what the account may read and publish (docs/security.md).
(function (root) {
  'use strict';
  const { el, replace, param } = root.StoreqDom;

  // Same origin as the page (nginx passes /mqtt to mosquitto's websockets listener,
  // docs/web.md); ?broker=wss://host:port/mqtt names another.
  function brokerUrl() {
    const given = param('broker');
    if (given) return given;
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/mqtt';
  }

  function randomHex(bytes) {
    const a = new Uint8Array(bytes);
    crypto.getRandomValues(a);
    return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function hhmm(ms) {
    const d = new Date(ms);
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }

  // options: {t, topics(username) -> [topic], onMessage(topic, text), onConnect(username),
  //           onLink(state), defaultUser}
  // state: {live: bool, offlineSince: ms|null, text}
  function start(options) {
    const t = options.t;
    const login = document.getElementById('login');
    const app = document.getElementById('app');
    let client = null;
    let offlineSince = null;
    let connectedAt = 0;
    let status = null;  // {topic, kind} of the logged-in account, or null
    const statusText = (online) => JSON.stringify({ online, kind: status.kind, version: 'web-0.1.0', ts: Date.now() });
    let quickDrops = 0;

    function link(live, why) {
      let text = live ? t('link.live') : offlineSince ? t('link.offline_since', { time: hhmm(offlineSince) }) : t('link.connecting');
      if (why) text += ' (' + why + ')';
      options.onLink({ live, offlineSince, text });
    }

    function showLogin(message) {
      app.hidden = true;
      login.hidden = false;
      const user = el('input', { id: 'login-user', name: 'username', autocomplete: 'username', required: true,
        autocapitalize: 'none', spellcheck: 'false', value: options.defaultUser || '' });
      const password = el('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
      const form = el('form', { class: 'login-form', onsubmit: (e) => { e.preventDefault(); connect(user.value.trim(), password.value); } }, [
        el('h1', { text: t('login.title') }),
        message ? el('p', { class: 'error', role: 'alert', id: 'login-error', text: message }) : null,
        el('label', { for: 'login-user', text: t('login.user') }), user,
        el('label', { for: 'login-password', text: t('login.password') }), password,
        el('button', { type: 'submit', class: 'big', id: 'login-submit', text: t('login.submit') }),
        el('p', { class: 'muted', text: t('login.note') }),
      ]);
      replace(login, form);
      (user.value ? password : user).focus();
    }

    function connect(username, password) {
      if (options.beforeConnect) options.beforeConnect();
      let everConnected = false;
      // Like every client of the store (protocol.md): a retained status, and a last-will
      // that says offline. The chain view has none (head office's broker).
      status = options.status ? options.status(username) : null;
      client = root.mqtt.connect(brokerUrl(), {
        will: status ? { topic: status.topic, payload: statusText(false), qos: 1, retain: true } : undefined,
        username, password, protocolVersion: 5, clean: true, reconnectPeriod: 1000, connectTimeout: 5000,
        keepalive: 20, resubscribe: false,
        // The broker takes the account as client id (use_username_as_clientid): a second
        // page with the same account takes the session over (below).
        clientId: 'web-' + username + '-' + randomHex(4),
      });
      client.on('connect', () => {
        everConnected = true;
        connectedAt = Date.now();
        offlineSince = null;
        login.hidden = true;
        app.hidden = false;
        // Subscribed on every connect: the retained topics come again, so a page that was
        // offline shows the state as it is now, with no reload.
        options.onConnect(username, client);
        client.subscribe(options.topics(username), { qos: 1 });
        if (status) client.publish(status.topic, statusText(true), { qos: 1, retain: true });
        link(true);
      });
      client.on('message', (topic, payload) => options.onMessage(topic, payload.toString()));
      client.on('close', () => {
        // Dropped again and again right after connecting: the same account is open on
        // another page, and the two would take the session from each other every
        // second. Say so, and try less often.
        if (connectedAt && Date.now() - connectedAt < 3000) quickDrops += 1;
        else if (connectedAt) quickDrops = 0;
        connectedAt = 0;
        if (client) client.options.reconnectPeriod = quickDrops >= 3 ? 15000 : 1000;
        if (everConnected && offlineSince === null) offlineSince = Date.now();
        if (everConnected) link(false, quickDrops >= 3 ? t('link.elsewhere', { who: username }) : null);
      });
      client.on('error', (err) => {
        // 134 bad user name or password, 135 not authorised (v5 CONNACK), 4/5 in 3.1.1.
        if ([4, 5, 134, 135].includes(err.code)) {
          client.end(true);
          client = null;
          showLogin(t('login.failed'));
        }
      });
      // Never connected at all within a while: say so, and keep trying (this attempt
      // only: after a wrong password the next attempt is another client).
      const attempt = client;
      setTimeout(() => { if (client === attempt && !everConnected) showLogin(t('login.unreachable')); }, 6000);
    }

    function logout() {
      // A clean disconnect sends no last-will: say offline first.
      if (client && client.connected && status) client.publish(status.topic, statusText(false), { qos: 1, retain: true });
      if (client) client.end(false);
      client = null;
      offlineSince = null;
      showLogin(null);
    }

    showLogin(null);
    return {
      logout,
      publish(topic, text, callback) {
        if (!client || !client.connected) return callback(new Error('offline'));
        client.publish(topic, text, { qos: 1 }, callback);
      },
    };
  }

  // A message of the store under `storeRoot` ("storeq/v1/demo/"): the rest of its topic and
  // its JSON object (null for an empty payload: a retained topic cleared). Null when the
  // topic is another's or the payload is no JSON object.
  function readMessage(storeRoot, topic, text) {
    if (!topic.startsWith(storeRoot)) return null;
    let doc = null;
    if (text.length) { try { doc = JSON.parse(text); } catch (e) { return null; } }
    if (doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) return null;
    return { rest: topic.slice(storeRoot.length), doc };
  }

  // An AlertAnswer (docs/protocol.md) as the logged-in account, on that account's own
  // answer topic (the only one its ACL lets it write). done(result): 'sent' once the
  // broker has it, 'refused' when the broker refuses it (MQTT 5 PUBACK reason code >= 128:
  // an account that may not answer), 'offline' when there is no connection to send it on.
  function answerAlert(live, storeRoot, account, alertId, action, comment, done) {
    const answer = { action, by: account, ts: Date.now() };
    if (comment) answer.comment = comment;
    live.publish(storeRoot + 'alerts/' + alertId + '/answer/' + account, JSON.stringify(answer), (err) => {
      if (!err) return done('sent');
      done(typeof err.code === 'number' && err.code >= 128 ? 'refused' : 'offline');
    });
  }

  root.StoreqLive = { start, brokerUrl, hhmm, readMessage, answerAlert };
})(self);
